/**
 * The guards a running task (a spawned closure) holds, per task, as a stack: what the task still
 * holds when it ends is released with it (and, for some guards, handled first if it panicked),
 * as a Rust thread's guards are dropped when it unwinds or returns.
 *
 * One clean-up per task, registered with its first guard, not one per guard: taking a lock in a
 * task costs an array push, releasing it a pop. (A Set cost ~80 ns per lock, hashing each new
 * guard object; a closure per guard cost more.)
 */
import type { TaskScope } from '../wire/context.js';

export class TaskGuards<Guard extends Disposable> {
  readonly #byTask = new WeakMap<TaskScope, Guard[]>();
  /** The last task asked about (usually the running one) and its stack: the common case skips the WeakMap. */
  #lastTask: TaskScope | undefined;
  #lastHeld: Guard[] | undefined;

  /** `onPanic`: what a guard still held by a panicking task does (before the task's end). */
  constructor(private readonly onPanic?: (guard: Guard) => void) {}

  /** Records `guard` as held by `task`; returns the stack to hand to `release` later. */
  hold(task: TaskScope, guard: Guard): Guard[] {
    // The running task is almost always the last one asked about: checked here, inline, since
    // this runs on every lock a task takes.
    const last = this.#lastHeld;
    const held = task === this.#lastTask && last !== undefined ? last : this.#stackOf(task);
    held.push(guard);
    return held;
  }

  #stackOf(task: TaskScope): Guard[] {
    if (task === this.#lastTask && this.#lastHeld !== undefined) return this.#lastHeld;
    let held = this.#byTask.get(task);
    if (held === undefined) {
      const created: Guard[] = [];
      const onPanic = this.onPanic;
      if (onPanic !== undefined) {
        task.onPanic(() => {
          for (const guard of [...created]) onPanic(guard);
        });
      }
      // Still held when the task returns: released with it, as a Rust guard at the end of its
      // scope (after a panic, `onPanic` got it first).
      task.onEnd(() => {
        for (const guard of [...created].reverse()) guard[Symbol.dispose]();
      });
      this.#byTask.set(task, created);
      held = created;
    }
    this.#lastTask = task;
    this.#lastHeld = held;
    return held;
  }
}

/** Takes `guard` off the stack it was held on: a pop as a rule (nested blocks), else a search. */
export function releaseHeld<Guard>(held: Guard[], guard: Guard): void {
  if (held[held.length - 1] === guard) {
    held.pop();
    return;
  }
  const at = held.lastIndexOf(guard);
  if (at >= 0) held.splice(at, 1);
}
