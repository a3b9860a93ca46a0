/**
 * `Mutex<T>`: one thread at a time reaches the value, which lives in shared memory.
 *
 * One growable SharedArrayBuffer: the control words first — [WORD] the lock, an owned futex lock
 * with async waiters (../owned-lock.ts: owner encoding, dead owners, wake protocol, spin
 * policy), [POISON] the poison flag (../poison-flag.ts), [ASYNC] and [ASYNC + 1] the lock's
 * async waiter words — then the {@link ValueCell}, so a `Mutex<number>`'s lock word and number
 * sit in the same cache line.
 */
import { mayBlock } from '#platform';
import { InvalidArgumentError, WouldDeadlockError, checkMayBlock } from '../../errors.js';
import { deadlineAfter } from '../deadline.js';
import type { sendHandle, syncHandle, handleMembers } from '../../marker/brands.js';
import type { Lockable } from '../../marker/send.js';
import { ownHere, ownNew, threadSlot } from '../../wire/context.js';
import { describe, registerHandleKind, type Handle, type HandleDescriptor } from '../../wire/handle.js';
import { ValueCell } from '../value/value-cell.js';
import { CONTENDED, HELD_HERE, TAKEN, lockOwnedAsync, lockOwnedSync, ownerMark, ownerOf, releaseDeadOwner, wakeAfterUnlock } from '../owned-lock.js';
import { PoisonFlag } from '../poison-flag.js';
import { MutexGuard, untracked, type LockCore } from './mutex-guard.js';

/**
 * Whether this thread may block, as a constant of this module: V8 folds it, where calling
 * `checkMayBlock` on every lockSync() cost ~1.3 of its ~26 ns. A thread that may not block (a
 * page's main thread) still gets checkMayBlock's error.
 */
const MAY_BLOCK = mayBlock;

const KIND = 'fearless.mutex';
const WHERE = 'Mutex value';
const WORD = 0;
const POISON = 1;
/** The lock's async waiter words: the sequence, then the count (owned-lock.ts invariant 3). */
const ASYNC = 2;
/** Int32 words before the value cell. */
const CONTROL_WORDS = 4;
/** Bytes of control words before the value cell (a multiple of 8, as the cell needs). */
const CONTROL_BYTES = CONTROL_WORDS * 4;

/**
 * The owned lock's fast path (owned-lock.ts `tryLockOwned`), written here: this control block
 * is a view of a growable buffer, the channels' of a plain one, and one shared function seeing
 * both would go polymorphic (owned-lock.ts, "Fast paths").
 */
function tryLockWord(control: Int32Array, mine: number): boolean {
  return Atomics.compareExchange(control, WORD, 0, mine) === 0;
}

/**
 * Blocks until the lock is taken. `what` names the call in the deadlock error. With a
 * `deadline` (a `performance.now()` time), gives up then and returns false.
 */
function lockWordSync(control: Int32Array, mine: number, what: string, deadline?: number): boolean {
  const outcome = lockOwnedSync(control, WORD, mine, deadline);
  if (outcome === HELD_HERE) throw wouldDeadlock(what);
  return outcome === TAKEN;
}

/** Waits without blocking the event loop (for a lock held by this thread too: another task may release it). */
function lockWordAsync(control: Int32Array, mine: number, deadline?: number): Promise<boolean> {
  return lockOwnedAsync(control, WORD, ASYNC, mine, deadline);
}

/** owned-lock.ts `unlockOwned`, its fast path written here (see tryLockWord). */
function unlockWord(control: Int32Array): void {
  if ((Atomics.exchange(control, WORD, 0) & CONTENDED) !== 0) wakeAfterUnlock(control, WORD, ASYNC);
}

/** How guards and Condvar release and retake a Mutex (see LockCore). */
const mutexOperations = {
  unlock: unlockWord,
  relockSync(control: Int32Array, slot: number): void {
    const mine = ownerMark(slot);
    if (!tryLockWord(control, mine)) lockWordSync(control, mine, 'Condvar.waitSync()');
  },
  async relock(control: Int32Array, slot: number): Promise<void> {
    const mine = ownerMark(slot);
    if (!tryLockWord(control, mine)) await lockWordAsync(control, mine);
  },
};

/** A Mutex's shared state over its buffer: control words, poison flag, value cell. */
function lockCore(buffer: SharedArrayBuffer, cell: ValueCell): LockCore {
  const control = new Int32Array(buffer, 0, CONTROL_WORDS);
  return { control, poison: new PoisonFlag(control, POISON), cell, ...mutexOperations, ...untracked() };
}

/** Set while reviving, so the constructor adopts existing state instead of creating it. */
let reviving: LockCore | undefined;

/**
 * A mutual-exclusion lock over a value of any Send type, shareable with every thread.
 *
 * @example
 * ```ts
 * const counter = new Mutex(0);
 * await spawn(move(counter), (counter) => {
 *   using guard = counter.lockSync();
 *   guard.value++;
 * }).join();
 * using guard = await counter.lock();
 * guard.value; // 1
 * ```
 *
 * Poisoning: a task that ends by throwing while a guard is still held (taken without `using`,
 * never released) poisons the lock and releases it; so does a worker that dies holding it.
 * A guard released by its `using` block as the throw leaves the block is released normally
 * and does not poison: JavaScript's disposal does not tell a disposer that it runs because of
 * a throw, so fearless cannot tell that case from a release followed by a throw.
 *
 * A `PoisonError` is thrown with the lock released, so catching it, `clearPoison()` and locking
 * again just works; `error.intoInner()` takes the lock anyway (Rust's `into_inner`).
 */
export class Mutex<Value extends Lockable<Value>> implements Handle {
  declare readonly [handleMembers]: keyof Mutex<Value>;
  declare readonly [sendHandle]: true;
  declare readonly [syncHandle]: true;
  readonly #core: LockCore;
  /** This thread's owner mark (a Mutex object lives in one thread: revived anew in each). */
  readonly #mine = ownerMark(threadSlot());

  constructor(value: Value) {
    const revived = reviving;
    reviving = undefined;
    if (revived === undefined) {
      const cell = ValueCell.create(value, WHERE, CONTROL_BYTES);
      this.#core = lockCore(cell.buffer, cell);
    } else {
      this.#core = revived;
    }
    // Revived: what the main thread needs to clean up after this thread (not a descriptor to
    // send: describing would mark the value as shared). Made here: tracked when first sent.
    if (revived === undefined) ownNew(this);
    else ownHere(this, { kind: KIND, buffers: [this.#core.cell.buffer], data: { shared: true } });
  }

  /**
   * Waits for the lock without blocking the event loop. Rejects with {@link PoisonError} (the
   * lock released; `intoInner()` gives a Promise of the guard) if a thread panicked holding it.
   */
  async lock(): Promise<MutexGuard<Value>> {
    const core = this.#core;
    const mine = this.#mine;
    if (!tryLockWord(core.control, mine)) await lockWordAsync(core.control, mine);
    return acquired(core, retakeAsync);
  }

  /**
   * Blocks this thread until the lock is free (on the main thread too: Node allows
   * Atomics.wait there, and the event loop stops meanwhile — prefer `lock()` on the main
   * thread). Throws WouldDeadlockError if this thread already holds it.
   */
  lockSync(): MutexGuard<Value> {
    if (!MAY_BLOCK) checkMayBlock('lockSync()', 'await lock()');
    const core = this.#core;
    const mine = this.#mine;
    if (!tryLockWord(core.control, mine)) lockWordSync(core.control, mine, 'Mutex.lockSync()');
    return acquired(core, retakeSync);
  }

  /** The guard if the lock is free right now, `undefined` if another holder has it. */
  tryLock(): MutexGuard<Value> | undefined {
    const core = this.#core;
    return tryLockWord(core.control, this.#mine) ? acquired(core, retakeTry) : undefined;
  }

  /**
   * Waits up to `ms` milliseconds for the lock without blocking the event loop: the guard, or
   * `undefined` if it was not free in time. Poisoning as for {@link lock}. (`tokio`'s
   * `timeout(d, mutex.lock())`; parking_lot's `try_lock_for`.)
   */
  async tryLockFor(ms: number): Promise<MutexGuard<Value> | undefined> {
    const deadline = deadlineAfter(ms, 'Mutex.tryLockFor(ms)');
    const core = this.#core;
    const mine = this.#mine;
    if (tryLockWord(core.control, mine) || (await lockWordAsync(core.control, mine, deadline))) return acquired(core, retakeAsync);
    return undefined;
  }

  /**
   * Blocks this thread up to `ms` milliseconds for the lock: the guard, or `undefined` if it
   * was not free in time. Throws WouldDeadlockError if this thread already holds it (waiting
   * could only ever time out).
   */
  tryLockForSync(ms: number): MutexGuard<Value> | undefined {
    checkMayBlock('tryLockForSync()', 'await tryLockFor()');
    const deadline = deadlineAfter(ms, 'Mutex.tryLockForSync(ms)');
    const core = this.#core;
    const mine = this.#mine;
    if (tryLockWord(core.control, mine) || lockWordSync(core.control, mine, 'Mutex.tryLockForSync()', deadline)) return acquired(core, retakeSync);
    return undefined;
  }

  /** Whether a thread panicked (threw out of its task or died) while holding the lock. */
  get isPoisoned(): boolean {
    return this.#core.poison.isPoisoned();
  }

  /** Marks the value as consistent again (Rust's `clear_poison`). */
  clearPoison(): void {
    this.#core.poison.clear();
  }

  [describe](): HandleDescriptor {
    const { ids, buffers } = this.#core.cell.knownBuffers();
    return {
      kind: KIND,
      buffers: [this.#core.cell.buffer, ...buffers],
      data: { shared: true, registry: ids },
    };
  }
}

/**
 * The lock is held; the guard, or, if a panic poisoned the lock, a PoisonError with the lock
 * released: a caller that only catches it must not be left holding the lock (the natural
 * "catch, clearPoison(), lock again" would then wait for itself forever).
 */
function acquired<Value>(core: LockCore, retake: (core: LockCore) => unknown): MutexGuard<Value> {
  if (core.poison.isPoisonedWhileHeld()) core.poison.refuse(() => core.unlock(core.control), () => retake(core));
  return new MutexGuard<Value>(core);
}

/** `intoInner()` of a PoisonError: the lock taken again the same way, whatever the poison. */
function retakeSync(core: LockCore): MutexGuard<unknown> {
  const mine = ownerMark(threadSlot());
  if (!tryLockWord(core.control, mine)) lockWordSync(core.control, mine, 'PoisonError.intoInner()');
  return new MutexGuard(core);
}

async function retakeAsync(core: LockCore): Promise<MutexGuard<unknown>> {
  const mine = ownerMark(threadSlot());
  if (!tryLockWord(core.control, mine)) await lockWordAsync(core.control, mine);
  return new MutexGuard(core);
}

function retakeTry(core: LockCore): MutexGuard<unknown> | undefined {
  return tryLockWord(core.control, ownerMark(threadSlot())) ? new MutexGuard(core) : undefined;
}

function revive(descriptor: HandleDescriptor): Mutex<never> {
  const [buffer, ...known] = descriptor.buffers;
  if (buffer === undefined) throw new InvalidArgumentError(`${KIND} descriptor lacks its buffer`);
  const registry = descriptor.data['registry'];
  reviving = lockCore(buffer, new ValueCell(buffer, ValueCell.knownFrom(typeof registry === 'string' ? registry : '', known), WHERE, CONTROL_BYTES));
  return new Mutex<never>(undefined as never);
}

registerHandleKind(KIND, {
  revive,
  onThreadDeath(descriptor, slot) {
    const buffer = descriptor.buffers[0];
    if (buffer === undefined) return;
    const control = new Int32Array(buffer, 0, CONTROL_WORDS);
    // Poison before releasing, so the waiter that takes the lock next sees the flag.
    if (ownerOf(control, WORD) === slot) new PoisonFlag(control, POISON).poison();
    releaseDeadOwner(control, WORD, slot, ASYNC);
  },
});

function wouldDeadlock(what: string): WouldDeadlockError {
  return new WouldDeadlockError(
    `${what}: this thread already holds the lock, so lockSync() would wait forever. Release the first guard (end its \`using\` block or call guard[Symbol.dispose]()) before locking again, or use \`await lock()\` if another task on this thread will release it`,
  );
}
