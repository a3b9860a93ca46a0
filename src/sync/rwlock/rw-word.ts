/**
 * The RwLock state machine, over an Int32 control block:
 *
 *   [STATE]            bits 0..19 readers holding it; bit 20 WAITING (a writer waits, so new
 *                      readers queue behind it: writers are not starved); bits 21..31 the
 *                      writer's slot + 1 (0 = no writer; read with >>>, bit 31 included)
 *   [POISON]           the poison flag (poison-flag.ts)
 *   [WAITING_WRITERS]  writers between "wants the lock" and "has it"
 *   [SLEEPERS]         threads asleep (or about to be) on STATE: unlocks notify only if > 0
 *   [READERS + slot]   read holds per thread, so a dead thread's read holds can be given back
 *
 * Every sleeper sleeps on STATE with the value it last saw; every change that can let someone
 * in (a writer leaving, the last reader leaving while a writer waits) notifies all sleepers,
 * who re-check. A change between a sleeper's check and its sleep makes Atomics.wait return at
 * once, so no wake-up is lost; SLEEPERS is raised before the re-check and read after the
 * change (both sequentially consistent), so a notifier never skips a thread about to sleep.
 */
import { WouldDeadlockError } from '../../errors.js';
import { MAX_THREAD_SLOTS } from '../../wire/context.js';
import { waitAsyncKeepingAlive } from '../platform.js';

export const STATE = 0;
export const POISON = 1;
const WAITING_WRITERS = 2;
const SLEEPERS = 3;
const READERS = 4;
export const CONTROL_LENGTH = READERS + MAX_THREAD_SLOTS;

const READER_MASK = (1 << 20) - 1;
const WAITING = 1 << 20;
const WRITER_SHIFT = 21;

function writerMark(slot: number): number {
  return (slot + 1) << WRITER_SHIFT;
}

function writerOf(state: number): number {
  return (state >>> WRITER_SHIFT) - 1;
}

/** The next step of a read acquisition: taken, or the state value to sleep on. */
function tryRead(control: Int32Array, slot: number): number | true {
  for (;;) {
    const state = Atomics.load(control, STATE);
    // A thread that already reads may read again past a waiting writer: making it queue
    // behind a writer that waits for it would deadlock.
    const blocked = state >>> WRITER_SHIFT !== 0 || ((state & WAITING) !== 0 && Atomics.load(control, READERS + slot) === 0);
    if (blocked) return state;
    if ((state & READER_MASK) === READER_MASK) throw new WouldDeadlockError('RwLock: too many simultaneous readers (over a million)');
    if (Atomics.compareExchange(control, STATE, state, state + 1) === state) {
      Atomics.add(control, READERS + slot, 1);
      return true;
    }
  }
}

export function tryReadLock(control: Int32Array, slot: number): boolean {
  return tryRead(control, slot) === true;
}

export function readLockSync(control: Int32Array, slot: number): void {
  for (;;) {
    const state = tryRead(control, slot);
    if (state === true) return;
    if (writerOf(state) === slot) throw deadlock('readSync()', 'writes');
    Atomics.add(control, SLEEPERS, 1);
    // Woken by writeUnlock / readUnlock / releaseDead notifying STATE.
    Atomics.wait(control, STATE, state);
    Atomics.sub(control, SLEEPERS, 1);
  }
}

export async function readLock(control: Int32Array, slot: number): Promise<void> {
  for (;;) {
    const state = tryRead(control, slot);
    if (state === true) return;
    Atomics.add(control, SLEEPERS, 1);
    // Resolved by writeUnlock / readUnlock / releaseDead notifying STATE.
    await waitAsyncKeepingAlive(control, STATE, state);
    Atomics.sub(control, SLEEPERS, 1);
  }
}

export function readUnlock(control: Int32Array, slot: number): void {
  Atomics.sub(control, READERS + slot, 1);
  const state = Atomics.sub(control, STATE, 1) - 1;
  // The last reader out lets a waiting writer in.
  if ((state & READER_MASK) === 0 && (state & WAITING) !== 0 && Atomics.load(control, SLEEPERS) > 0) {
    Atomics.notify(control, STATE);
  }
}

export function tryWriteLock(control: Int32Array, slot: number): boolean {
  return Atomics.compareExchange(control, STATE, 0, writerMark(slot)) === 0;
}

/** One step of a waiting writer: taken, or the state value to sleep on. */
function tryWrite(control: Int32Array, slot: number): number | true {
  for (;;) {
    const state = Atomics.load(control, STATE);
    if (state >>> WRITER_SHIFT === 0 && (state & READER_MASK) === 0) {
      if (Atomics.compareExchange(control, STATE, state, (state & WAITING) | writerMark(slot)) === state) return true;
      continue;
    }
    if ((state & WAITING) !== 0) return state;
    // Announce the waiting writer so new readers queue behind it.
    if (Atomics.compareExchange(control, STATE, state, state | WAITING) === state) return state | WAITING;
  }
}

export function writeLockSync(control: Int32Array, slot: number): void {
  if (Atomics.load(control, READERS + slot) > 0) throw deadlock('writeSync()', 'reads');
  Atomics.add(control, WAITING_WRITERS, 1);
  try {
    for (;;) {
      const state = tryWrite(control, slot);
      if (state === true) return;
      if (writerOf(state) === slot) throw deadlock('writeSync()', 'writes');
      Atomics.add(control, SLEEPERS, 1);
      // Woken by writeUnlock / readUnlock (last reader) / releaseDead notifying STATE.
      Atomics.wait(control, STATE, state);
      Atomics.sub(control, SLEEPERS, 1);
    }
  } finally {
    Atomics.sub(control, WAITING_WRITERS, 1);
  }
}

export async function writeLock(control: Int32Array, slot: number): Promise<void> {
  Atomics.add(control, WAITING_WRITERS, 1);
  try {
    for (;;) {
      const state = tryWrite(control, slot);
      if (state === true) return;
      Atomics.add(control, SLEEPERS, 1);
      // Resolved by writeUnlock / readUnlock (last reader) / releaseDead notifying STATE.
      await waitAsyncKeepingAlive(control, STATE, state);
      Atomics.sub(control, SLEEPERS, 1);
    }
  } finally {
    Atomics.sub(control, WAITING_WRITERS, 1);
  }
}

export function writeUnlock(control: Int32Array): void {
  for (;;) {
    const state = Atomics.load(control, STATE);
    // Keep new readers out while other writers still wait; otherwise let everyone in.
    const next = Atomics.load(control, WAITING_WRITERS) > 0 ? WAITING : 0;
    if (Atomics.compareExchange(control, STATE, state, next) === state) break;
  }
  if (Atomics.load(control, SLEEPERS) > 0) Atomics.notify(control, STATE);
}

/**
 * Main thread, after thread `slot` died: gives back its read holds and its write hold.
 * Returns whether it held the write lock (the caller poisons it, as Rust poisons an RwLock
 * only when a writer panics).
 */
export function releaseDead(control: Int32Array, slot: number): boolean {
  const reads = Atomics.exchange(control, READERS + slot, 0);
  if (reads > 0) {
    Atomics.sub(control, STATE, reads);
    Atomics.notify(control, STATE);
  }
  if (writerOf(Atomics.load(control, STATE)) !== slot) return false;
  return true;
}

function deadlock(call: string, holds: string): WouldDeadlockError {
  return new WouldDeadlockError(
    `RwLock.${call}: this thread already ${holds} this lock, so it would wait for itself forever. Release the first guard (end its \`using\` block) first`,
  );
}
