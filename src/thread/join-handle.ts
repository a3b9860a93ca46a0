/**
 * The handle to a spawned thread: `join()` gives its result, or rejects with ThreadPanic if it
 * threw or its worker died.
 */
export class JoinHandle<Result> {
  readonly #result: Promise<Result>;
  #finished = false;

  /** @internal Made by spawn. */
  constructor(result: Promise<Result>) {
    this.#result = result.finally(() => {
      this.#finished = true;
    });
    // A handle nobody joins must not turn a panic into an unhandled rejection that kills the
    // process (fearless/no-unjoined-spawn reports such handles instead).
    this.#result.catch(() => {});
  }

  /** Waits for the thread; its result, moved back. May be called more than once. */
  join(): Promise<Result> {
    return this.#result;
  }

  /** True once the thread has returned or panicked. */
  get isFinished(): boolean {
    return this.#finished;
  }
}
