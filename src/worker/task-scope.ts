/**
 * One running task (a spawned closure) in a worker: the handles it owns and the clean-ups to
 * run if it panics. Like a Rust thread's stack frame, everything it still owns when it ends is
 * dropped — after the panic clean-ups, so a lock held by a panicking task is poisoned first.
 *
 * The sets are made when first needed: most warm spawns own no handle and register nothing,
 * and a task is made per spawn.
 */
import { drop, type Handle } from '../wire/handle.js';
import type { TaskScope } from '../wire/context.js';
import { process } from '#platform';

export class Task implements TaskScope {
  /** Its epoch (task-lifecycle.ts): what locks tell tasks apart by. */
  readonly epoch: number;
  #adopted: Set<Handle> | undefined;
  #panicCleanups: Set<() => void> | undefined;
  #endCleanups: Set<() => void> | undefined;

  constructor(epoch = 0) {
    this.epoch = epoch;
  }

  adopt(handle: Handle): void {
    (this.#adopted ??= new Set()).add(handle);
  }

  release(handle: Handle): void {
    this.#adopted?.delete(handle);
  }

  onPanic(cleanup: () => void): () => void {
    const cleanups = (this.#panicCleanups ??= new Set());
    cleanups.add(cleanup);
    return () => {
      cleanups.delete(cleanup);
    };
  }

  onEnd(cleanup: () => void): () => void {
    const cleanups = (this.#endCleanups ??= new Set());
    cleanups.add(cleanup);
    return () => {
      cleanups.delete(cleanup);
    };
  }

  /** The task ended; `panicked` when it threw. Errors from clean-ups never escape. */
  finish(panicked: boolean): void {
    const panics = this.#panicCleanups;
    this.#panicCleanups = undefined;
    if (panicked && panics !== undefined) {
      for (const cleanup of [...panics]) runQuietly(cleanup);
    }
    const ends = this.#endCleanups;
    this.#endCleanups = undefined;
    if (ends !== undefined) for (const cleanup of [...ends]) runQuietly(cleanup);
    const adopted = this.#adopted;
    this.#adopted = undefined;
    if (adopted !== undefined) for (const handle of [...adopted]) runQuietly(() => handle[drop]?.());
  }
}

/**
 * What leftovers (work of finished tasks running between tasks) take: guards and permits
 * register their clean-ups here, as they do with a task, so that they are given back when a
 * leftover fails (`finish(true)`: locks poisoned and released, permits returned). It adopts no
 * handle: a handle made by a leftover is dropped by close or garbage collection, as on the
 * main thread, and nothing here keeps it alive.
 */
export class LeftoverScope extends Task {
  override adopt(): void {}
}

function runQuietly(step: () => void): void {
  try {
    step();
  } catch (error) {
    // A clean-up that fails must not stop the others; report it as Node reports a stray error.
    process.emitWarning(`fearless: a clean-up at the end of a task failed: ${String(error)}`);
  }
}
