import { invalidArgument } from '../errors.js';

/**
 * The handle to a spawned thread: `join()` gives its result, or rejects with ThreadPanic if it
 * threw or its worker died, or with ThreadAbortedError after `abort()`.
 */
export class JoinHandle<Result> {
  readonly #result: Promise<Result>;
  readonly #abort: (() => void) | undefined;
  readonly #awaitBriefly: (() => void) | undefined;
  #finished = false;

  /**
   * @internal Made by spawn; `abort` stops the thread (see {@link abort}). One reaction on
   * `result` both marks the handle finished and keeps a panic nobody joins from becoming an
   * unhandled rejection that kills the process (fearless/no-unjoined-spawn reports such handles
   * instead); `join()` hands out `result` itself, so a spawn costs no extra promise.
   */
  constructor(result: Promise<Result>, abort?: () => void, awaitBriefly?: () => void) {
    this.#abort = abort;
    this.#awaitBriefly = awaitBriefly;
    this.#result = result;
    const finished = (): void => {
      this.#finished = true;
    };
    result.then(finished, finished);
  }

  /** Waits for the thread; its result, moved back. May be called more than once. */
  join(): Promise<Result> {
    // A job handed to a spinning worker may answer within microseconds: join() looks for its
    // result for up to 50 µs before it returns (src/thread/join-spin.ts, which bounds it).
    if (!this.#finished) this.#awaitBriefly?.();
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

  /**
   * Aborts the thread when `signal` fires (at once if it already has), and returns this handle,
   * so a spawn reads `spawn(…).abortOn(AbortSignal.timeout(500))`. The listener goes away when
   * the thread finishes: a long-lived signal (a server's shutdown signal) given to many threads
   * keeps none of them, nor their results, alive. Abort's own rules apply: no effect once the
   * thread has finished.
   *
   * @example
   * ```ts
   * const handle = spawn(() => crunch()).abortOn(AbortSignal.timeout(1_000));
   * await handle.join(); // rejects with ThreadAbortedError if crunch() takes longer
   * ```
   */
  abortOn(signal: AbortSignal): this {
    if (!(signal instanceof AbortSignal)) throw invalidArgument('handle.abortOn(signal)', 'signal', 'an AbortSignal', signal);
    if (this.#finished) return this;
    if (signal.aborted) {
      this.abort();
      return this;
    }
    const abort = (): void => this.abort();
    signal.addEventListener('abort', abort, { once: true });
    const forget = (): void => signal.removeEventListener('abort', abort);
    this.#result.then(forget, forget);
    return this;
  }

  /** True once the thread has returned or panicked. */
  get isFinished(): boolean {
    return this.#finished;
  }
}
