/**
 * The handle to a spawned thread: `join()` gives its result, or rejects with ThreadPanic if it
 * threw or its worker died, or with ThreadAbortedError after `abort()`.
 */
export class JoinHandle<Result> {
  readonly #result: Promise<Result>;
  readonly #abort: (() => void) | undefined;
  #finished = false;

  /**
   * @internal Made by spawn; `abort` stops the thread (see {@link abort}). One reaction on
   * `result` both marks the handle finished and keeps a panic nobody joins from becoming an
   * unhandled rejection that kills the process (fearless/no-unjoined-spawn reports such handles
   * instead); `join()` hands out `result` itself, so a spawn costs no extra promise.
   */
  constructor(result: Promise<Result>, abort?: () => void) {
    this.#abort = abort;
    this.#result = result;
    const finished = (): void => {
      this.#finished = true;
    };
    result.then(finished, finished);
  }

  /** Waits for the thread; its result, moved back. May be called more than once. */
  join(): Promise<Result> {
    return this.#result;
  }

  /**
   * Ends the thread if it has not finished, wherever it is — a busy loop, a blocking
   * `recvSync()`, a Barrier nobody completes: its worker is stopped, the locks it held are
   * poisoned, the handles it owned dropped (a sender it held closes), and `join()` rejects with
   * ThreadAbortedError. A thread still waiting for a free worker never starts. No effect once
   * the thread has finished — has given its answer, even if `join()` has not delivered it yet
   * (`isFinished` may still be false): the answer is what `join()` gives. The stop takes effect
   * a moment after `abort()` returns; a thread that answers in that moment has finished too.
   * Like a panic, abort stops the thread anywhere: shared state it was changing without a lock
   * may be half-written. In a `scope`, an aborted thread the body did not join is not a panic.
   */
  abort(): void {
    if (!this.#finished) this.#abort?.();
  }

  /** True once the thread has returned or panicked. */
  get isFinished(): boolean {
    return this.#finished;
  }
}
