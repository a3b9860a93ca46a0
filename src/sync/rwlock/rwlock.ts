/**
 * `RwLock<T>`: many readers or one writer at a time over a value in shared memory. A waiting
 * writer keeps new readers out, so writers are not starved. Poisoned, as in Rust, only when a
 * writer panics (throws out of its task or dies) while holding it.
 */
import { InvalidArgumentError, checkMayBlock } from '../../errors.js';
import type { sendHandle, syncHandle, handleMembers } from '../../marker/brands.js';
import type { Lockable } from '../../marker/send.js';
import { ownHere, ownNew, threadSlot } from '../../wire/context.js';
import { describe, registerHandleKind, type Handle, type HandleDescriptor } from '../../wire/handle.js';
import { untracked, type LockCore } from '../mutex/mutex-guard.js';
import { sharedInt32 } from '../platform.js';
import { PoisonFlag } from '../poison-flag.js';
import { ValueCell } from '../value/value-cell.js';
import { RwLockReadGuard, RwLockWriteGuard } from './rwlock-guards.js';
import {
  CONTROL_LENGTH,
  POISON,
  readLock,
  readLockSync,
  releaseDead,
  tryReadLock,
  tryWriteLock,
  writeLock,
  writeLockSync,
  writeUnlock,
  readUnlock,
} from './rw-word.js';

const KIND = 'fearless.rwlock';
const WHERE = 'RwLock value';

/** How write guards and Condvar release and retake the write hold (see LockCore). */
const writeOperations = {
  unlock: writeUnlock,
  relockSync(control: Int32Array, slot: number): void {
    if (!tryWriteLock(control, slot)) writeLockSync(control, slot);
  },
  async relock(control: Int32Array, slot: number): Promise<void> {
    if (!tryWriteLock(control, slot)) await writeLock(control, slot);
  },
};

let reviving: LockCore | undefined;

/** An RwLock's shared state: control block (rw-word.ts), poison flag, value cell. */
function lockCore(control: Int32Array, cell: ValueCell): LockCore {
  return { control, poison: new PoisonFlag(control, POISON), cell, ...writeOperations, ...untracked() };
}

/**
 * @example
 * ```ts
 * const config = new RwLock({ level: 1 });
 * { using reader = config.readSync(); reader.value.level; }
 * { using writer = await config.write(); writer.value.level = 2; }
 * ```
 */
export class RwLock<Value extends Lockable<Value>> implements Handle {
  declare readonly [handleMembers]: keyof RwLock<Value>;
  declare readonly [sendHandle]: true;
  declare readonly [syncHandle]: true;
  readonly #core: LockCore;

  constructor(value: Value) {
    const revived = reviving;
    reviving = undefined;
    this.#core = revived ?? lockCore(sharedInt32(CONTROL_LENGTH), ValueCell.create(value, WHERE));
    // Revived: what the main thread needs to clean up after this thread (not a descriptor to
    // send: describing would mark the value as shared). Made here: tracked when first sent.
    if (revived === undefined) ownNew(this);
    else ownHere(this, { kind: KIND, buffers: [this.#core.control.buffer as SharedArrayBuffer], data: { shared: true } });
  }

  /** Waits (without blocking the event loop) for a shared read hold. */
  read(): Promise<RwLockReadGuard<Value>> {
    return this.#read(false);
  }

  /** Blocks this thread until it can read. Throws WouldDeadlockError if this thread writes it. */
  readSync(): RwLockReadGuard<Value> {
    checkMayBlock('readSync()', 'await read()');
    return this.#readSync(false);
  }

  tryRead(): RwLockReadGuard<Value> | undefined {
    return this.#tryRead(false);
  }

  /** Waits (without blocking the event loop) for the exclusive write hold. */
  write(): Promise<RwLockWriteGuard<Value>> {
    return this.#write(false);
  }

  /** Blocks this thread until it can write. Throws WouldDeadlockError if this thread holds it. */
  writeSync(): RwLockWriteGuard<Value> {
    checkMayBlock('writeSync()', 'await write()');
    return this.#writeSync(false);
  }

  tryWrite(): RwLockWriteGuard<Value> | undefined {
    return this.#tryWrite(false);
  }

  // Each acquisition, with `anyway` set when it is a PoisonError's intoInner() retake.
  async #read(anyway: boolean): Promise<RwLockReadGuard<Value>> {
    const slot = threadSlot();
    if (!tryReadLock(this.#core.control, slot)) await readLock(this.#core.control, slot);
    return this.#reading(slot, anyway, () => this.#read(true));
  }

  #readSync(anyway: boolean): RwLockReadGuard<Value> {
    const slot = threadSlot();
    readLockSync(this.#core.control, slot);
    return this.#reading(slot, anyway, () => this.#readSync(true));
  }

  #tryRead(anyway: boolean): RwLockReadGuard<Value> | undefined {
    const slot = threadSlot();
    return tryReadLock(this.#core.control, slot) ? this.#reading(slot, anyway, () => this.#tryRead(true)) : undefined;
  }

  async #write(anyway: boolean): Promise<RwLockWriteGuard<Value>> {
    const slot = threadSlot();
    if (!tryWriteLock(this.#core.control, slot)) await writeLock(this.#core.control, slot);
    return this.#writing(anyway, () => this.#write(true));
  }

  #writeSync(anyway: boolean): RwLockWriteGuard<Value> {
    const slot = threadSlot();
    if (!tryWriteLock(this.#core.control, slot)) writeLockSync(this.#core.control, slot);
    return this.#writing(anyway, () => this.#writeSync(true));
  }

  #tryWrite(anyway: boolean): RwLockWriteGuard<Value> | undefined {
    return tryWriteLock(this.#core.control, threadSlot()) ? this.#writing(anyway, () => this.#tryWrite(true)) : undefined;
  }

  get isPoisoned(): boolean {
    return this.#core.poison.isPoisoned();
  }

  clearPoison(): void {
    this.#core.poison.clear();
  }

  /**
   * The hold is taken; its guard, or, if a writer's panic poisoned the lock (and this is not an
   * `intoInner()` retake), a PoisonError with the hold given back, so that "catch,
   * clearPoison(), lock again" cannot wait for itself.
   */
  #reading(slot: number, anyway: boolean, retake: () => unknown): RwLockReadGuard<Value> {
    const core = this.#core;
    if (!anyway && core.poison.isPoisonedWhileHeld()) core.poison.refuse(() => readUnlock(core.control, slot), retake);
    return new RwLockReadGuard<Value>(this.#core.control, this.#core.cell, slot);
  }

  #writing(anyway: boolean, retake: () => unknown): RwLockWriteGuard<Value> {
    const core = this.#core;
    if (!anyway && core.poison.isPoisonedWhileHeld()) core.poison.refuse(() => writeUnlock(core.control), retake);
    return new RwLockWriteGuard<Value>(this.#core);
  }

  [describe](): HandleDescriptor {
    const { ids, buffers } = this.#core.cell.knownBuffers();
    return {
      kind: KIND,
      buffers: [this.#core.control.buffer as SharedArrayBuffer, this.#core.cell.buffer, ...buffers],
      data: { shared: true, registry: ids },
    };
  }
}

registerHandleKind(KIND, {
  revive(descriptor) {
    const [control, value, ...known] = descriptor.buffers;
    if (control === undefined || value === undefined) throw new InvalidArgumentError(`${KIND} descriptor lacks its buffers`);
    const registry = descriptor.data['registry'];
    reviving = lockCore(new Int32Array(control), new ValueCell(value, ValueCell.knownFrom(typeof registry === 'string' ? registry : '', known), WHERE));
    return new RwLock<never>(undefined as never);
  },
  onThreadDeath(descriptor, slot) {
    const control = descriptor.buffers[0];
    if (control === undefined) return;
    const words = new Int32Array(control);
    if (releaseDead(words, slot)) {
      // Poison before releasing, so whoever writes or reads next sees the flag.
      new PoisonFlag(words, POISON).poison();
      writeUnlock(words);
    }
  },
});
