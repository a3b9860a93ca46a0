/**
 * The guard of a lock held exclusively: a Mutex (this class) or an RwLock held for writing
 * (RwLockWriteGuard, a subclass). The only way to reach the value; `Symbol.dispose` releases.
 *
 * The value is decoded from shared memory once per guard, on first read, and written back when
 * the guard is released if it may have changed: when it was assigned, or when it is an object
 * (`guard.value.count++` mutates the decoded copy, and Rust's `&mut T` promises that it sticks).
 * A guard whose value was never touched costs no decode and no encode.
 */
import { UseAfterMoveError } from '../../errors.js';
import { currentTask, taskEpoch } from '../../wire/context.js';
import type { PoisonFlag } from '../poison-flag.js';
import { changesInPlace, type ValueCell } from '../value/value-cell.js';

/** What a guard needs of its lock; shared by every guard of one lock object. */
export interface LockCore {
  /** Control block: [0] the lock's state word, then what the lock's own layout says. */
  readonly control: Int32Array;
  /** The lock's poison flag, in the same shared memory. */
  readonly poison: PoisonFlag;
  readonly cell: ValueCell;
  /** Releases the exclusive hold (and wakes whoever waits). */
  readonly unlock: (control: Int32Array) => void;
  /** Takes the exclusive hold again (Condvar), blocking / without blocking the event loop. */
  readonly relockSync: (control: Int32Array, slot: number) => void;
  readonly relock: (control: Int32Array, slot: number) => Promise<void>;
  /**
   * The ticket of this thread's live guard of the lock, 0 when this thread holds no guard of it
   * (one at most: the hold is exclusive). With `epoch`, how a task finds what it still holds
   * when it ends. A number, not the guard: see "Tickets" on {@link MutexGuard}.
   */
  held: number;
  /** Tickets handed out so far: the next guard's is one more (a double: never wraps, never repeats). */
  tickets: number;
  /**
   * The live guard, only while it holds a decoded object it must store back on release (the
   * slow path: `guard.value.count++` on an object value); undefined otherwise.
   */
  dirty: MutexGuard<unknown> | undefined;
  /** The task epoch (context.ts) in which the running task was last told of this lock; 0: none. */
  epoch: number;
}

/** The fields a new LockCore starts with, beside its control words, cell and operations. */
export function untracked(): Pick<LockCore, 'held' | 'tickets' | 'dirty' | 'epoch'> {
  return { held: 0, tickets: 0, dirty: undefined, epoch: 0 };
}

/** Module-internal operations (Condvar), kept off the public surface. */
export const suspendGuard: unique symbol = Symbol('fearless.suspendGuard');
export const resumeGuard: unique symbol = Symbol('fearless.resumeGuard');

/**
 * Access to a locked Mutex's value: `value` to read or replace it (object values may be
 * changed in place), `[Symbol.dispose]()` to unlock — `using guard = mutex.lockSync()` unlocks
 * at the end of the block, on throw too. Using a released guard throws.
 *
 * Not an abstract base with a MutexGuard subclass: V8 constructs a derived class about twice
 * as slowly, and constructing this guard is most of what an uncontended lock costs.
 *
 * Tickets. Each guard gets a number no other guard of its lock object ever gets (`tickets`
 * counts up, a double, so it never wraps), and is live exactly while `core.held` is its ticket.
 * Invariant: `core.held === ticket` ⇔ this thread holds the lock through this guard, so a guard
 * checks that one word on every use, and releasing (dispose, Condvar suspend, the task-end
 * clean-up below) is one store of 0 — a guard nobody released explicitly dies with it. Why not
 * keep the guard itself on the core: the core lives long (old generation), the guard is new,
 * and storing a new object into an old one runs V8's write barrier, ~4 ns of a ~35 ns
 * lock+release (perf: RecordWrite). The guard is put on the core (`dirty`) only when it holds
 * a decoded object to store back, a path that decodes and encodes anyway.
 */
/** MutexGuard's private #abandon, for the per-task panic clean-up below the class. */
let abandon: (guard: MutexGuard<unknown>) => void;

export class MutexGuard<Value> implements Disposable {
  readonly #core: LockCore;
  readonly #ticket: number;
  #value: Value | undefined;
  #loaded = false;
  #dirty = false;

  /** @internal Made by the lock when it is taken. */
  constructor(core: LockCore) {
    this.#core = core;
    const ticket = core.tickets + 1;
    core.tickets = ticket;
    core.held = ticket;
    this.#ticket = ticket;
    // Once per lock per task, not per acquisition: the task learns of the lock the first time
    // it takes it; what it still holds when it ends is found through `core.held`.
    if (core.epoch !== taskEpoch) heldInTask(core);
  }

  /** The protected value. Reading decodes it once; changes are stored when the guard is released. */
  get value(): Value {
    const core = this.#core;
    if (core.held !== this.#ticket) throw released(this);
    if (this.#loaded) return this.#value as Value;
    // A number is read straight from shared memory each time (one load): nothing to cache.
    const number = core.cell.readNumber();
    if (number !== undefined) return number as Value;
    const value = core.cell.read() as Value;
    this.#hold(core, value);
    return value;
  }

  set value(value: Value) {
    const core = this.#core;
    if (core.held !== this.#ticket) throw released(this);
    if (typeof value === 'number') {
      core.cell.writeNumber(value);
      if (this.#loaded) this.#forget();
      return;
    }
    // Encoded now, not at release, so a value that cannot be stored fails here, at the
    // assignment, and leaves the old value in place.
    core.cell.write(value);
    this.#hold(core, value);
  }

  /** Keeps the decoded `value`; one that may change in place is stored back on release. */
  #hold(core: LockCore, value: Value): void {
    this.#value = value;
    this.#loaded = true;
    this.#dirty = changesInPlace(value);
    core.dirty = this.#dirty ? this : undefined;
  }

  /** Unlocks. Idempotent: a second call (an explicit release inside a `using` block) does nothing. */
  [Symbol.dispose](): void {
    const core = this.#core;
    if (core.held !== this.#ticket) return;
    if (!this.#dirty) {
      // The common case, kept lean: nothing to store, one store to release the guard.
      core.held = 0;
      core.unlock(core.control);
      return;
    }
    try {
      this.#release(core);
    } finally {
      // Unlocked even if storing the value failed: a lock must never stay held by nobody.
      core.unlock(core.control);
    }
  }

  /** @internal Condvar: store the value and unlock, keeping the guard for {@link resumeGuard}. */
  [suspendGuard](): LockCore {
    const core = this.#live();
    try {
      this.#release(core);
    } finally {
      core.unlock(core.control);
    }
    return core;
  }

  /** @internal Condvar: the lock was taken again by this thread; the guard is live again. */
  [resumeGuard](core: LockCore): void {
    this.#forget();
    core.held = this.#ticket;
    if (core.epoch !== taskEpoch) heldInTask(core);
  }

  /** Drops the decoded copy: the next read decodes what shared memory holds. */
  #forget(): void {
    this.#loaded = false;
    this.#dirty = false;
    this.#value = undefined;
    if (this.#core.dirty === (this as MutexGuard<unknown>)) this.#core.dirty = undefined;
  }

  #release(core: LockCore): void {
    core.held = 0;
    if (core.dirty === (this as MutexGuard<unknown>)) core.dirty = undefined;
    if (this.#dirty) {
      this.#dirty = false;
      core.cell.write(this.#value);
    }
  }

  /**
   * A task (a spawned closure) that throws out while this guard is still held poisons the
   * lock and releases it, as a panicking Rust thread's unwinding guard does: the task is gone,
   * nobody else could ever unlock it.
   */
  static {
    abandon = (guard) => guard.#abandon();
  }

  #abandon(): void {
    const core = this.#core;
    if (core.held !== this.#ticket) return;
    core.poison.poison();
    try {
      // Keep what the task changed in place, as Rust's in-place mutation would have.
      this.#release(core);
    } catch {
      // The task left a value that cannot be stored: the previous value stays.
    } finally {
      core.unlock(core.control);
    }
  }

  #live(): LockCore {
    const core = this.#core;
    if (core.held !== this.#ticket) throw released(this);
    return core;
  }

}

function released(guard: object): UseAfterMoveError {
  return new UseAfterMoveError(
    `this ${guard.constructor.name} was already released (its \`using\` block ended or it was disposed): lock again to reach the value`,
  );
}

/**
 * The locks the running task has taken (each once), in the order it first took them, and the
 * epoch they belong to. When the task ends, each one it still holds (`core.held` set) is
 * released with it — in reverse order, as Rust drops guards at the end of a scope — and if it
 * panicked, poisoned first. A task makes the list with its first lock, and registers its two
 * clean-ups then: a lock taken again in the same task costs one comparison and one store.
 *
 * Before: an array push and pop per lock, through the task's guard stack, was ~10 ns of a
 * ~45 ns lock+release in a task; and the guard kept the stack it was on.
 */
let taskCores: LockCore[] = [];
let taskCoresEpoch = 0;
/** The list's length at which it is compacted (compactTaskCores). */
const TASK_CORES_MIN = 64;
let taskCoresLimit = TASK_CORES_MIN;

function heldInTask(core: LockCore): void {
  const epoch = taskEpoch;
  core.epoch = epoch;
  if (epoch === 0) return;
  if (taskCoresEpoch !== epoch) {
    const task = currentTask();
    if (task === undefined) return;
    const cores: LockCore[] = [];
    taskCores = cores;
    taskCoresEpoch = epoch;
    taskCoresLimit = TASK_CORES_MIN;
    task.onPanic(() => {
      for (let index = cores.length - 1; index >= 0; index--) releaseHeld(cores[index]!, true);
    });
    task.onEnd(() => {
      for (let index = cores.length - 1; index >= 0; index--) {
        const core = cores[index]!;
        releaseHeld(core, false);
        // A later task starts afresh with this lock.
        core.epoch = 0;
      }
    });
  }
  taskCores.push(core);
  if (taskCores.length >= taskCoresLimit) compactTaskCores(taskCores);
}

/**
 * Keeps a task's list to the locks it still holds, once it grows past the limit: a task that
 * takes many different locks in turn (a fresh lock per item of a loop) must not keep every one
 * of them alive to its end — each holds a growable buffer, a memory mapping
 * (src/wire/collection.ts). A lock dropped from the list forgets its epoch, so taking it again
 * in this task lists it again. The limit doubles with what is kept, so a task holding many
 * locks at once compacts in amortised constant time per lock.
 */
function compactTaskCores(cores: LockCore[]): void {
  let kept = 0;
  for (const core of cores) {
    if (core.held !== 0) cores[kept++] = core;
    else core.epoch = 0;
  }
  cores.length = kept;
  taskCoresLimit = Math.max(TASK_CORES_MIN, 2 * kept);
}

/**
 * The task ended holding `core` (`held` set): release it as the guard's own dispose would —
 * through the guard when it holds a decoded object to store back (`dirty`), else by one store —
 * poisoning it first if the task panicked.
 */
function releaseHeld(core: LockCore, panicked: boolean): void {
  if (core.held === 0) return;
  const guard = core.dirty;
  if (guard !== undefined) {
    if (panicked) abandon(guard);
    else guard[Symbol.dispose]();
    return;
  }
  if (panicked) core.poison.poison();
  core.held = 0;
  core.unlock(core.control);
}
