/**
 * Guards of an RwLock. A write guard is exclusive and behaves like a MutexGuard; a read guard
 * shares the lock with other readers and gives a read-only view decoded once per guard.
 */
import { UseAfterMoveError } from '../../errors.js';
import { currentTask } from '../../wire/context.js';
import { MutexGuard } from '../mutex/mutex-guard.js';
import type { ValueCell } from '../value/value-cell.js';
import { readUnlock } from './rw-word.js';
import { TaskGuards, releaseHeld } from '../task-guards.js';

/**
 * Exclusive access to an RwLock's value: `value` get/set, `[Symbol.dispose]()` to release.
 * It behaves as a MutexGuard in every way (and works with a Condvar too), hence the subclass.
 */
export class RwLockWriteGuard<Value> extends MutexGuard<Value> {}

/**
 * Shared access to an RwLock's value. The value is this thread's decoded copy: changing it
 * changes nothing for other threads (take a write guard to change the value).
 */
export class RwLockReadGuard<Value> implements Disposable {
  #control: Int32Array | undefined;
  readonly #cell: ValueCell;
  readonly #slot: number;
  #value: Readonly<Value> | undefined;
  #loaded = false;
  #held: RwLockReadGuard<unknown>[] | undefined;

  /** @internal Made by RwLock once the read hold is taken. */
  constructor(control: Int32Array, cell: ValueCell, slot: number) {
    this.#control = control;
    this.#cell = cell;
    this.#slot = slot;
    // A task that throws out while reading gives the read hold back (a reader cannot have
    // broken the value, so, as in Rust, it does not poison the lock).
    const task = currentTask();
    if (task !== undefined) this.#held = readGuards.hold(task, this);
  }

  get value(): Readonly<Value> {
    if (this.#control === undefined) {
      throw new UseAfterMoveError('this RwLockReadGuard was already released (its `using` block ended or it was disposed): read again to reach the value');
    }
    if (!this.#loaded) {
      this.#value = this.#cell.read() as Readonly<Value>;
      this.#loaded = true;
    }
    return this.#value as Readonly<Value>;
  }

  /** Gives the read hold back. Idempotent. */
  [Symbol.dispose](): void {
    const control = this.#control;
    if (control === undefined) return;
    this.#control = undefined;
    if (this.#held !== undefined) {
      releaseHeld(this.#held, this as RwLockReadGuard<unknown>);
      this.#held = undefined;
    }
    readUnlock(control, this.#slot);
  }
}

/** The read guards each task holds: given back when it ends (a reader does not poison). */
const readGuards = new TaskGuards<RwLockReadGuard<unknown>>();
