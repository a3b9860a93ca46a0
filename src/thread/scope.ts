/**
 * `scope(body)`: scoped threads, Rust's `std::thread::scope`. Every thread spawned through the
 * scope is joined before `scope` settles, whatever the body did with its handles, so the body
 * may hand threads work and return without keeping a list of handles to join.
 *
 * Outcome, as in Rust: the body's own throw wins; otherwise a thread that panicked and that the
 * body did not join itself (a join is how the body says it handles that thread's outcome)
 * rejects the scope with that thread's ThreadPanic — the first such thread in spawn order;
 * otherwise the body's value. The scope settles only after every thread has finished, on every
 * path.
 *
 * `handle.abort()` on a scoped thread stops it as on any thread (its join rejects with
 * ThreadAbortedError), and the scope then settles as soon as its other threads have finished.
 * An abort is something the program asked for, not a panic: a thread aborted through its handle
 * that the body did not join does not fail the scope (Rust has no abort to copy; a body that
 * wants the ThreadAbortedError joins the handle, and its own rethrow fails the scope).
 */
import { ThreadAbortedError, UseAfterMoveError, invalidArgument } from '../errors.js';
import type { Send } from '../marker/send.js';
import type { SendResult } from './send-result.js';
import { JoinHandle } from './join-handle.js';
import type { Moved, MovedValues } from './move.js';
import { spawn } from './spawn.js';
import { ownFile } from './caller.js';

// In a bundle, this module's chunk is the package's: never a spawn's caller (caller.ts).
ownFile(import.meta.url);

/** A JoinHandle that tells its scope whether the body joined it. */
class ScopedJoinHandle<Result> extends JoinHandle<Result> {
  joined = false;
  /** abort() was called on this handle: a ThreadAbortedError it ends with is the program's own doing. */
  aborted = false;
  readonly settled: Promise<PromiseSettledResult<Result>>;

  /** `inner` is the thread's own handle, made by spawn: abort goes to it. */
  constructor(inner: JoinHandle<Result>) {
    const result = inner.join();
    super(result, () => {
      this.aborted = true;
      inner.abort();
    });
    this.settled = result.then(
      (value) => ({ status: 'fulfilled', value }),
      (reason: unknown) => ({ status: 'rejected', reason }),
    );
  }

  override join(): Promise<Result> {
    this.joined = true;
    return super.join();
  }

  /** What the scope must report of this thread: a rejection the body did not join, unless it is the abort asked for through this handle. */
  unhandled(outcome: PromiseSettledResult<Result>): boolean {
    if (outcome.status !== 'rejected' || this.joined) return false;
    return !(this.aborted && outcome.reason instanceof ThreadAbortedError);
  }
}

/**
 * What `scope`'s body receives: `s.spawn(...)` starts a thread that the scope joins before it
 * settles. Not Send: a scope belongs to the thread whose body runs it.
 */
export class Scope {
  #handles: Array<ScopedJoinHandle<unknown>> | undefined = [];

  /** @internal Made by {@link scope}. */
  constructor() {}

  /** As the top-level `spawn`; the scope joins the thread before it settles. */
  spawn<Return extends SendResult<Return>>(fn: () => Return): JoinHandle<Awaited<Return>>;
  spawn<Values extends unknown[], Return extends SendResult<Return>>(
    moved: Moved<Values>,
    fn: (...values: MovedValues<Values>) => Return,
  ): JoinHandle<Awaited<Return>>;
  /** The public form, where an explicit type argument names the awaited result (see the top-level `spawn`). */
  spawn<Result extends Send<Result>>(fn: () => Result | Promise<Result>): JoinHandle<Awaited<Result>>;
  spawn<Values extends unknown[], Result extends Send<Result>>(
    moved: Moved<Values>,
    fn: (...values: MovedValues<Values>) => Result | Promise<Result>,
  ): JoinHandle<Awaited<Result>>;
  spawn(first: unknown, second?: unknown): JoinHandle<unknown> {
    const handles = this.#handles;
    if (handles === undefined) {
      throw new UseAfterMoveError('s.spawn(): this scope has ended (its body settled); spawn inside the body, or use the top-level spawn');
    }
    const handle = new ScopedJoinHandle((spawn as (first: unknown, second?: unknown) => JoinHandle<unknown>)(first, second));
    handles.push(handle);
    return handle;
  }

  /** @internal The body settled: no more spawns; wait for every thread, give the first unjoined panic (an abort asked for is none). */
  async end(): Promise<Error | undefined> {
    const handles = this.#handles ?? [];
    this.#handles = undefined;
    const outcomes = await Promise.all(handles.map((handle) => handle.settled));
    const panicked = outcomes.findIndex((outcome, index) => handles[index]!.unhandled(outcome));
    // A join rejects only with an Error (ThreadPanic, or the pool's own errors).
    return panicked < 0 ? undefined : ((outcomes[panicked] as PromiseRejectedResult).reason as Error);
  }
}

/**
 * Runs `body` with a {@link Scope}; threads spawned with `s.spawn` may be left unjoined by the
 * body: the scope joins them all before it settles. Rejects with the body's throw, else with the
 * ThreadPanic of the first thread that panicked and that the body did not join; a thread the
 * program aborted (`handle.abort()`) and did not join is no panic. A `body` that is not a
 * function rejects with InvalidArgumentError.
 *
 * @example
 * ```ts
 * const total = new AtomicI32(0);
 * const count = await scope((s) => {
 *   for (const part of [[1, 2], [3, 4]]) s.spawn(move(part, total), (part, total) => { total.fetchAdd(part[0]! + part[1]!); });
 *   return 2;
 * });
 * total.load(); // 10: both threads have finished
 * ```
 */
export async function scope<Result>(body: (s: Scope) => Result | Promise<Result>): Promise<Awaited<Result>> {
  if (typeof body !== 'function') throw invalidArgument('scope(body)', 'body', 'a function such as (s) => { s.spawn(...) }', body);
  const s = new Scope();
  let value: Awaited<Result>;
  try {
    value = await body(s);
  } catch (error) {
    // Every thread still finishes before the body's own error is given.
    await s.end();
    throw error;
  }
  const panic = await s.end();
  if (panic !== undefined) throw panic;
  return value;
}
