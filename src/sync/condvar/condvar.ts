/**
 * `Condvar`: wait for a condition guarded by a Mutex, without lost wake-ups.
 *
 * One Int32 sequence word. A waiter reads the sequence BEFORE releasing the mutex, then
 * sleeps on that value; a notifier bumps the sequence, then notifies. A notification that
 * lands between the release and the sleep has already changed the word, so the sleep returns
 * at once: the wake-up is not lost. (Spurious wake-ups can happen, as in Rust: wait in a loop
 * on the condition.)
 */
import type { sendHandle, syncHandle, handleMembers } from '../../marker/brands.js';
import { ownHere } from '../../wire/context.js';
import { describe, registerHandleKind, type Handle, type HandleDescriptor } from '../../wire/handle.js';
import { resumeGuard, suspendGuard, type LockCore } from '../mutex/mutex-guard.js';
import { MutexGuard } from '../mutex/mutex-guard.js';
import { InvalidArgumentError, invalidArgument, checkMayBlock } from '../../errors.js';
import { threadSlot } from '../../wire/context.js';
import { sharedInt32, waitAsyncKeepingAlive } from '../platform.js';
import { deadlineAfter, timeLeft } from '../deadline.js';

/** What the timed waits return: the guard, locked again, and whether time ran out first. */
export interface WaitTimeoutResult<Value> {
  readonly guard: MutexGuard<Value>;
  readonly timedOut: boolean;
}

const KIND = 'fearless.condvar';
const SEQUENCE = 0;

let reviving: Int32Array | undefined;

/**
 * @example
 * ```ts
 * using guard = ready.lockSync();
 * while (!guard.value) condvar.waitSync(guard);   // same guard, re-locked
 * ```
 */
export class Condvar implements Handle {
  declare readonly [handleMembers]: keyof Condvar;
  declare readonly [sendHandle]: true;
  declare readonly [syncHandle]: true;
  readonly #sequence: Int32Array;

  constructor() {
    this.#sequence = reviving ?? sharedInt32(1);
    reviving = undefined;
    ownHere(this, this[describe]());
  }

  /**
   * Releases the guard's mutex, sleeps until notified, takes the mutex again and returns the
   * guard (the same object, live again, as Rust's `wait` returns the guard). Blocks the thread.
   * An RwLock write guard works too (it is a MutexGuard).
   */
  waitSync<Value>(guard: MutexGuard<Value>): MutexGuard<Value> {
    checkMayBlock('condvar.waitSync()', 'await condvar.wait()');
    checkGuard('Condvar.waitSync(guard)', guard);
    const seen = Atomics.load(this.#sequence, SEQUENCE);
    const core = guard[suspendGuard]();
    // Woken by notifyOne/notifyAll, which bump SEQUENCE first.
    Atomics.wait(this.#sequence, SEQUENCE, seen);
    core.relockSync(core.control, threadSlot());
    return relocked(guard, core, () => {
      core.relockSync(core.control, threadSlot());
      guard[resumeGuard](core);
      return guard;
    });
  }

  /** As {@link waitSync}, without blocking the event loop. */
  async wait<Value>(guard: MutexGuard<Value>): Promise<MutexGuard<Value>> {
    checkGuard('Condvar.wait(guard)', guard);
    const seen = Atomics.load(this.#sequence, SEQUENCE);
    const core = guard[suspendGuard]();
    // Resolved by notifyOne/notifyAll, which bump SEQUENCE first.
    await waitAsyncKeepingAlive(this.#sequence, SEQUENCE, seen);
    await core.relock(core.control, threadSlot());
    return relocked(guard, core, async () => {
      await core.relock(core.control, threadSlot());
      guard[resumeGuard](core);
      return guard;
    });
  }

  /**
   * As {@link waitSync}, giving up the sleep after `ms` milliseconds (Rust's `wait_timeout`).
   * The guard comes back locked either way; `timedOut` says whether time ran out before a
   * notification. The mutex is re-taken without a time limit, as in Rust.
   */
  waitTimeoutSync<Value>(guard: MutexGuard<Value>, ms: number): WaitTimeoutResult<Value> {
    checkMayBlock('condvar.waitTimeoutSync()', 'await condvar.waitTimeout()');
    const deadline = deadlineAfter(ms, 'Condvar.waitTimeoutSync(guard, ms)');
    checkGuard('Condvar.waitTimeoutSync(guard, ms)', guard);
    const seen = Atomics.load(this.#sequence, SEQUENCE);
    const core = guard[suspendGuard]();
    // Woken by notifyOne/notifyAll, which bump SEQUENCE first.
    const outcome = Atomics.wait(this.#sequence, SEQUENCE, seen, timeLeft(deadline));
    core.relockSync(core.control, threadSlot());
    // Poisoned: PoisonError.intoInner() gives the guard back, as for waitSync.
    const relockedGuard = relocked(guard, core, () => {
      core.relockSync(core.control, threadSlot());
      guard[resumeGuard](core);
      return guard;
    });
    return { guard: relockedGuard, timedOut: outcome === 'timed-out' };
  }

  /** As {@link waitTimeoutSync}, without blocking the event loop. */
  async waitTimeout<Value>(guard: MutexGuard<Value>, ms: number): Promise<WaitTimeoutResult<Value>> {
    const deadline = deadlineAfter(ms, 'Condvar.waitTimeout(guard, ms)');
    checkGuard('Condvar.waitTimeout(guard, ms)', guard);
    const seen = Atomics.load(this.#sequence, SEQUENCE);
    const core = guard[suspendGuard]();
    // Resolved by notifyOne/notifyAll, which bump SEQUENCE first.
    const left = timeLeft(deadline);
    const outcome = await waitAsyncKeepingAlive(this.#sequence, SEQUENCE, seen, left === Number.POSITIVE_INFINITY ? undefined : left);
    await core.relock(core.control, threadSlot());
    // Poisoned: PoisonError.intoInner() gives (a Promise of) the guard back, as for wait.
    const relockedGuard = relocked(guard, core, async () => {
      await core.relock(core.control, threadSlot());
      guard[resumeGuard](core);
      return guard;
    });
    return { guard: relockedGuard, timedOut: outcome === 'timed-out' };
  }

  /** Wakes one waiting thread, if any. */
  notifyOne(): void {
    Atomics.add(this.#sequence, SEQUENCE, 1);
    Atomics.notify(this.#sequence, SEQUENCE, 1);
  }

  /** Wakes every waiting thread. */
  notifyAll(): void {
    Atomics.add(this.#sequence, SEQUENCE, 1);
    Atomics.notify(this.#sequence, SEQUENCE);
  }

  [describe](): HandleDescriptor {
    return { kind: KIND, buffers: [this.#sequence.buffer as SharedArrayBuffer], data: { shared: true } };
  }
}

function checkGuard(call: string, guard: unknown): void {
  if (!(guard instanceof MutexGuard)) {
    throw invalidArgument(call, 'guard', 'the MutexGuard of a held lock (from mutex.lock(), lockSync() or an RwLock write)', guard);
  }
}

/**
 * The lock is taken again: the guard is live again, or, if a panic poisoned the lock meanwhile,
 * the lock is released and a PoisonError thrown whose `intoInner()` retakes it into the same
 * guard (the caller's `using` block still owns that guard, so it cannot leak).
 */
function relocked<Value>(guard: MutexGuard<Value>, core: LockCore, retake: () => unknown): MutexGuard<Value> {
  if (core.poison.isPoisonedWhileHeld()) core.poison.refuse(() => core.unlock(core.control), retake);
  guard[resumeGuard](core);
  return guard;
}

registerHandleKind(KIND, {
  revive(descriptor) {
    const buffer = descriptor.buffers[0];
    if (buffer === undefined) throw new InvalidArgumentError(`${KIND} descriptor lacks its buffer`);
    reviving = new Int32Array(buffer);
    return new Condvar();
  },
});
