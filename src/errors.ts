import { inspect, mayBlock, onNotIsolated } from '#platform';

/**
 * Every error this package throws. Each has a stable `code` that programs can switch on; the
 * message says what went wrong, where, and what to do about it.
 */

/** Stable codes, one per error class. */
export type FearlessErrorCode =
  | 'FEARLESS_SEND'
  | 'FEARLESS_RECV'
  | 'FEARLESS_RECV_TIMEOUT'
  | 'FEARLESS_POISONED'
  | 'FEARLESS_THREAD_PANIC'
  | 'FEARLESS_NOT_CLONEABLE'
  | 'FEARLESS_USE_AFTER_MOVE'
  | 'FEARLESS_POOL_CLOSED'
  | 'FEARLESS_INVALID_ARGUMENT'
  | 'FEARLESS_WOULD_DEADLOCK'
  | 'FEARLESS_THREAD_ABORTED'
  | 'FEARLESS_CAPACITY'
  | 'FEARLESS_CAPTURE'
  | 'FEARLESS_NOT_ISOLATED'
  | 'FEARLESS_CANNOT_BLOCK';

/** Base class of every error thrown by fearless. */
export abstract class FearlessError extends Error {
  abstract readonly code: FearlessErrorCode;
}

/** `send` on a channel whose receiver is gone. The unsent value is given back in `.value`. */
export class SendError<Value = unknown> extends FearlessError {
  override readonly name = 'SendError';
  readonly code = 'FEARLESS_SEND';
  constructor(readonly value: Value, message = 'sending on a closed channel: the receiver is gone (the value is returned in error.value)') {
    super(message);
  }
}

/** `recv` on a channel whose senders are all gone and whose queue is empty. */
export class RecvError extends FearlessError {
  override readonly name = 'RecvError';
  readonly code = 'FEARLESS_RECV';
  constructor(message = 'receiving on a closed channel: every sender is gone and the queue is empty') {
    super(message);
  }
}

/** `recvTimeout` that ran out of time (`disconnected: false`) or found the channel closed (`true`). */
export class RecvTimeoutError extends FearlessError {
  override readonly name = 'RecvTimeoutError';
  readonly code = 'FEARLESS_RECV_TIMEOUT';
  constructor(readonly disconnected: boolean, message?: string) {
    super(
      message ??
        (disconnected
          ? 'receiving on a closed channel: every sender is gone and the queue is empty'
          : 'timed out waiting on the channel'),
    );
  }
}

/**
 * A lock whose holder panicked (threw out of its task, or its worker died) while holding it, so
 * the data under it may be half-updated. The lock is NOT held when this is thrown: catching it,
 * calling `clearPoison()` and locking again works, and so does simply giving up.
 *
 * Rust's `PoisonError::into_inner` is the explicit {@link intoInner}: it takes the lock again,
 * ignoring the poison, and gives the guard (a Promise of it when the error came from an async
 * `lock()`/`read()`/`write()`/`wait()`, `undefined` from a `try*` call when the lock is busy).
 */
export class PoisonError<Guard = unknown> extends FearlessError {
  override readonly name = 'PoisonError';
  readonly code = 'FEARLESS_POISONED';
  readonly #intoInner: () => Guard;
  constructor(
    intoInner: () => Guard,
    message = 'the lock is poisoned: a thread panicked while holding it, so the data may be half-updated. The lock is free: call clearPoison() on it and lock again, or take the guard anyway with error.intoInner() (Rust\'s into_inner)',
  ) {
    super(message);
    this.#intoInner = intoInner;
  }

  /** Takes the lock again whatever the poison and gives its guard: release it as any other. */
  intoInner(): Guard {
    return this.#intoInner();
  }

  #guard: { readonly taken: Guard } | undefined;
  /**
   * The guard, as the public API promises (`.guard` still gives access): the lock is taken on the
   * first read of this property, never before, so code that only catches the error and locks
   * again cannot wait on a guard it never asked for. Later reads give the same guard.
   */
  get guard(): Guard {
    this.#guard ??= { taken: this.#intoInner() };
    return this.#guard.taken;
  }
}

/** The serialisable description of an error thrown inside a thread. */
export interface PanicCause {
  readonly name: string;
  readonly message: string;
  readonly stack?: string | undefined;
}

/** A thread threw (or its worker died) instead of returning: `join()` rejects with this. */
export class ThreadPanic extends FearlessError {
  override readonly name = 'ThreadPanic';
  readonly code = 'FEARLESS_THREAD_PANIC';
  declare readonly cause: PanicCause;
  constructor(cause: PanicCause, message?: string) {
    super(message ?? `thread panicked: ${cause.name}: ${cause.message}`, { cause });
  }
}

/**
 * A value that the types let through (behind `any`, say) cannot cross to another thread at run
 * time. `path` names the offending part, e.g. `.items[3].cb`.
 */
export class NotCloneableError extends FearlessError {
  override readonly name = 'NotCloneableError';
  readonly code = 'FEARLESS_NOT_CLONEABLE';
  constructor(readonly path: string, readonly reason: string, where = 'value') {
    super(`${where}${path === '' ? '' : ` at ${path}`} cannot cross to another thread: ${reason}`);
  }
}

/** A handle (sender, receiver, lock...) used after it was moved to another thread or closed. */
export class UseAfterMoveError extends FearlessError {
  override readonly name = 'UseAfterMoveError';
  readonly code = 'FEARLESS_USE_AFTER_MOVE';
}

/** Work given to a `ThreadPool` after `close()`. */
export class PoolClosedError extends FearlessError {
  override readonly name = 'PoolClosedError';
  readonly code = 'FEARLESS_POOL_CLOSED';
}

/** A bad argument: the message names the parameter and what was expected. */
export class InvalidArgumentError extends FearlessError {
  override readonly name = 'InvalidArgumentError';
  readonly code = 'FEARLESS_INVALID_ARGUMENT';
}

/** A blocking call that can never return (e.g. `lockSync` on a lock this thread already holds). */
export class WouldDeadlockError extends FearlessError {
  override readonly name = 'WouldDeadlockError';
  readonly code = 'FEARLESS_WOULD_DEADLOCK';
}

/** `join()` of a thread that was stopped by `handle.abort()`. */
export class ThreadAbortedError extends FearlessError {
  override readonly name = 'ThreadAbortedError';
  readonly code = 'FEARLESS_THREAD_ABORTED';
  constructor(message = 'the thread was aborted before it finished (handle.abort()): its locks are poisoned and its handles dropped') {
    super(message);
  }
}

/** A fixed limit was reached: a channel's queue is at its largest, or too many threads are alive. */
export class CapacityError extends FearlessError {
  override readonly name = 'CapacityError';
  readonly code = 'FEARLESS_CAPACITY';
}

/** Why a platform cannot do a call (the README, "Runtimes": browsers). */
export type PlatformErrorCode = 'FEARLESS_NOT_ISOLATED' | 'FEARLESS_CANNOT_BLOCK';

/**
 * The platform cannot do this call: `FEARLESS_NOT_ISOLATED`, shared memory is missing (a page
 * that is not cross-origin isolated; the message names the two headers to send);
 * `FEARLESS_CANNOT_BLOCK`, a blocking form on a thread that may not block (a page's main
 * thread; the message names the async form). Never thrown on Node, Bun or Deno.
 */
export class PlatformError extends FearlessError {
  override readonly name = 'PlatformError';
  constructor(readonly code: PlatformErrorCode, message: string) {
    super(message);
  }
}

/** The error for a page that is not cross-origin isolated, at the first call that needs shared memory. */
export function notIsolated(): PlatformError {
  return new PlatformError(
    'FEARLESS_NOT_ISOLATED',
    'fearless needs shared memory (SharedArrayBuffer), which a page has only when it is cross-origin isolated (crossOriginIsolated is false): serve the page with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp',
  );
}
// The browser platform throws it (a platform module cannot import this one); a no-op elsewhere.
onNotIsolated(notIsolated);

/** The error for a blocking form (`call`) on a thread that may not block; `asyncForm` replaces it. */
export function cannotBlock(call: string, asyncForm: string): PlatformError {
  return new PlatformError('FEARLESS_CANNOT_BLOCK', `${call} cannot block a page's main thread (Atomics.wait is not allowed there): use ${asyncForm}`);
}

/**
 * At a blocking form's entry: throws FEARLESS_CANNOT_BLOCK on a thread that may not block (a
 * page's main thread). Outside a browser `mayBlock` is the constant true.
 */
export function checkMayBlock(call: string, asyncForm: string): void {
  if (!mayBlock) throw cannotBlock(call, asyncForm);
}

/**
 * An argument as the caller wrote it, for error messages: a string stays quoted (`'1'`, not
 * 1), objects are shown shallowly, long text is cut.
 */
export function shown(value: unknown): string {
  return inspect(value, { depth: 0, breakLength: Infinity, maxStringLength: 60, maxArrayLength: 5 });
}

/** The error for argument `name` of `call` that is not `expected`. */
export function invalidArgument(call: string, name: string, expected: string, value: unknown): InvalidArgumentError {
  return new InvalidArgumentError(`${call}: ${name} must be ${expected}, got ${shown(value)}`);
}

/**
 * A function given to spawn (or pool.spawn / pool.map) uses a name that will not exist in the
 * worker: an import, or a variable of the enclosing scope. `identifier` is that name. Thrown at
 * the spawn call, on the calling thread, before anything is moved.
 */
export class CaptureError extends FearlessError {
  override readonly name = 'CaptureError';
  readonly code = 'FEARLESS_CAPTURE';
  constructor(readonly identifier: string, message: string) {
    super(message);
  }
}
