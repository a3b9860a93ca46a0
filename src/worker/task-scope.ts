/**
 * One running task (a spawned closure) in a worker: the handles it owns and the clean-ups to
 * run if it panics. Like a Rust thread's stack frame, everything it still owns when it ends is
 * dropped — after the panic clean-ups, so a lock held by a panicking task is poisoned first.
 */
import { drop, type Handle } from '../wire/handle.js';
import type { TaskScope } from '../wire/context.js';

export class Task implements TaskScope {
  readonly #adopted = new Set<Handle>();
  readonly #panicCleanups = new Set<() => void>();
  readonly #endCleanups = new Set<() => void>();

  adopt(handle: Handle): void {
    this.#adopted.add(handle);
  }

  release(handle: Handle): void {
    this.#adopted.delete(handle);
  }

  onPanic(cleanup: () => void): () => void {
    this.#panicCleanups.add(cleanup);
    return () => {
      this.#panicCleanups.delete(cleanup);
    };
  }

  onEnd(cleanup: () => void): () => void {
    this.#endCleanups.add(cleanup);
    return () => {
      this.#endCleanups.delete(cleanup);
    };
  }

  /** The task ended; `panicked` when it threw. Errors from clean-ups never escape. */
  finish(panicked: boolean): void {
    if (panicked) {
      for (const cleanup of [...this.#panicCleanups]) runQuietly(cleanup);
    }
    this.#panicCleanups.clear();
    for (const cleanup of [...this.#endCleanups]) runQuietly(cleanup);
    this.#endCleanups.clear();
    for (const handle of [...this.#adopted]) runQuietly(() => handle[drop]?.());
    this.#adopted.clear();
  }
}

function runQuietly(step: () => void): void {
  try {
    step();
  } catch (error) {
    // A clean-up that fails must not stop the others; report it as Node reports a stray error.
    process.emitWarning(`fearless: a clean-up at the end of a task failed: ${String(error)}`);
  }
}
