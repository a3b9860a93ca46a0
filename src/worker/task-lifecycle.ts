/**
 * A thread's task lifecycle: which scope owns what the thread adopts right now (the running
 * task's, else the leftovers'), and the epoch locks tell tasks apart by (src/wire/context.ts
 * `taskEpoch`). The worker bootstrap (main.ts) runs every task through it; test/sync/
 * task-context.ts runs a body as a task through it on the main thread. It installs nothing
 * (the timer wrappers and the globals check are isolation.ts, which the worker runs alongside).
 *
 * Invariants:
 * - Every task, and every stretch of leftovers between tasks, has an epoch of its own, never
 *   0 (0 is the main thread outside any task) and never reused: a lock recorded with an old
 *   epoch is told apart from the running task's with one comparison.
 * - A task's clean-ups run while it is still current (`endTask`: finish, then leave), as a Rust
 *   thread's locals drop inside its scope; from then until the next task, code that runs is a
 *   leftover and what it locks belongs to the leftovers' scope.
 * - When a leftover fails, what the leftovers' scope holds is given back (`finish(true)`: locks
 *   poisoned and released, permits returned) and later leftovers start a new scope.
 */
import { setTaskEpoch, type TaskScope } from '../wire/context.js';
import { LeftoverScope, Task } from './task-scope.js';

let running: Task | undefined;
/** What leftovers take: the guards and permits they hold, given back if one of them fails. */
let leftovers = new LeftoverScope();
/** Epochs handed out so far on this thread (tasks and stretches of leftovers). */
let epochs = 0;

/** The scope that owns what this thread adopts now: the running task, else the leftovers. */
export function currentScope(): TaskScope {
  return running ?? leftovers;
}

/** The running task, undefined between tasks. */
export function runningTask(): Task | undefined {
  return running;
}

/** A task starts: it owns what is adopted from now on, under a new epoch. */
export function beginTask(): Task {
  const task = new Task(++epochs);
  resumeTask(task);
  return task;
}

/** The task goes on after an await (other code may have run meanwhile): it is current again. */
export function resumeTask(task: Task): void {
  running = task;
  setTaskEpoch(task.epoch);
}

/**
 * The task is over: its clean-ups run (`panicked`: its panic clean-ups first) while it is still
 * current, then code that runs here is a leftover until the next task, under a new epoch.
 */
export function endTask(task: Task, panicked: boolean): void {
  task.finish(panicked);
  running = undefined;
  setTaskEpoch(++epochs);
}

/** A leftover failed: what leftovers hold is given back, and later ones start a new scope. */
export function failLeftovers(): void {
  const failed = leftovers;
  leftovers = new LeftoverScope();
  // A new epoch, so that a lock taken by the next leftover is recorded with the new scope.
  if (running === undefined) setTaskEpoch(++epochs);
  failed.finish(true);
}
