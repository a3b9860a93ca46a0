/**
 * The futex-style lock word under Mutex (Drepper's "mutex3", with the owner in the word).
 *
 *   0                         unlocked
 *   (slot + 1) << 1           locked by thread `slot`, nobody sleeping
 *   ((slot + 1) << 1) | 1     locked by thread `slot`, someone may be sleeping on the word
 *
 * Keeping the owner in the same word as the state means taking the lock and recording who took
 * it is one compare-exchange: there is no moment at which a lock is held by nobody known, so a
 * dead thread's locks can always be found and released.
 *
 * Wake-ups: a thread that finds the lock taken sets the contended bit and sleeps; the holder's
 * unlock sees the bit and wakes one blocked sleeper AND one async sleeper. A woken thread takes
 * the lock with the contended bit set, since others may still be asleep, so its own unlock
 * wakes the next ones. Blocked threads (Atomics.wait) sleep on the lock word itself; async
 * waiters (Atomics.waitAsync) sleep on a separate sequence word, ASYNC, that every contended
 * unlock bumps. Why two: Atomics.notify(…, 1) wakes waiters in arrival order whatever their
 * kind, so a wake-up could go to an async waiter whose thread is busy, leaving a blocked thread
 * asleep on a free lock for as long as that thread stays busy.
 *
 * Nothing is lost if the unlock happens between a waiter's check and its sleep: the blocked
 * waiter sleeps only if the lock word still holds what it saw, the async one only if ASYNC
 * still holds the sequence number it read before looking at the lock.
 */
import { WouldDeadlockError } from '../../errors.js';
import { waitAsync } from '../platform.js';

const WORD = 0;
/** Index 1 belongs to the lock's owner (Mutex keeps its poison flag there). */
const ASYNC = 2;
/**
 * Async waiters in lockWordAsync right now. A contended unlock bumps ASYNC and notifies it only
 * when this is non-zero: with blocked threads alone (the usual contention between workers) an
 * unlock costs one notify, not two notifies and an add.
 */
const ASYNC_WAITERS = 3;
/** Int32 words the lock uses at the start of its control block. */
export const LOCK_WORDS = 4;
const CONTENDED = 1;
/** Loads to spin before sleeping: a holder on another core usually releases within this. */
const SPINS = 64;

/** The lock-word value that means "held by thread `slot`". */
export function ownerMark(slot: number): number {
  return (slot + 1) << 1;
}

/** The slot holding the lock, or -1 if unlocked. */
export function ownerOf(word: Int32Array): number {
  return (Atomics.load(word, WORD) >> 1) - 1;
}

export function tryLockWord(word: Int32Array, mine: number): boolean {
  return Atomics.compareExchange(word, WORD, 0, mine) === 0;
}

/**
 * Blocks until the lock is taken. `what` names the lock in the deadlock error. With a
 * `deadline` (a `performance.now()` time), gives up then and returns false.
 */
export function lockWordSync(word: Int32Array, mine: number, what: string, deadline = Number.POSITIVE_INFINITY): boolean {
  for (let spin = 0; spin < SPINS; spin++) {
    const current = Atomics.load(word, WORD);
    if (current === 0) {
      if (Atomics.compareExchange(word, WORD, 0, mine) === 0) return true;
    } else if ((current & ~CONTENDED) === mine) {
      throw wouldDeadlock(what);
    }
  }
  for (;;) {
    const current = Atomics.load(word, WORD);
    if (current === 0) {
      if (Atomics.compareExchange(word, WORD, 0, mine | CONTENDED) === 0) return true;
      continue;
    }
    if ((current & ~CONTENDED) === mine) throw wouldDeadlock(what);
    if ((current & CONTENDED) === 0 && Atomics.compareExchange(word, WORD, current, current | CONTENDED) !== current) {
      continue;
    }
    const left = deadline - performance.now();
    if (left <= 0) return false;
    // Sleep until the holder's unlockWord (or releaseDeadOwner) notifies this word. A timed-out
    // waiter leaves the contended bit set: the next unlock pays one spare notify, nothing more.
    Atomics.wait(word, WORD, current | CONTENDED, left);
  }
}

/**
 * Waits without blocking the event loop. A lock held by this same thread is waited for too:
 * on the main thread (or a worker running async tasks) another task may release it. With a
 * `deadline`, gives up then and resolves false.
 */
export async function lockWordAsync(word: Int32Array, mine: number, deadline = Number.POSITIVE_INFINITY): Promise<boolean> {
  // Counted before the first look at the lock word: an unlock that finds no async waiter
  // happened before that look, which then sees the lock free.
  Atomics.add(word, ASYNC_WAITERS, 1);
  try {
    for (;;) {
      const sequence = Atomics.load(word, ASYNC);
      const current = Atomics.load(word, WORD);
      if (current === 0) {
        if (Atomics.compareExchange(word, WORD, 0, mine | CONTENDED) === 0) return true;
        continue;
      }
      if ((current & CONTENDED) === 0 && Atomics.compareExchange(word, WORD, current, current | CONTENDED) !== current) {
        continue;
      }
      const left = deadline - performance.now();
      if (left <= 0) return false;
      // Resolved by the holder's unlockWord (or releaseDeadOwner), which bumps ASYNC and notifies it.
      await waitAsync(word, ASYNC, sequence, left === Number.POSITIVE_INFINITY ? undefined : left);
    }
  } finally {
    Atomics.sub(word, ASYNC_WAITERS, 1);
  }
}

export function unlockWord(word: Int32Array): void {
  if ((Atomics.exchange(word, WORD, 0) & CONTENDED) === 0) return;
  // Someone announced itself: wake one blocked sleeper and one async sleeper, if any.
  Atomics.notify(word, WORD, 1);
  if (Atomics.load(word, ASYNC_WAITERS) === 0) return;
  Atomics.add(word, ASYNC, 1);
  Atomics.notify(word, ASYNC, 1);
}

/**
 * Runs on the main thread after thread `slot` died: if it held the lock, release it for good
 * and wake every sleeper (they will find the lock poisoned by the caller). Returns whether it
 * did.
 */
export function releaseDeadOwner(word: Int32Array, slot: number): boolean {
  const current = Atomics.load(word, WORD);
  if (current === 0 || (current & ~CONTENDED) !== ownerMark(slot)) return false;
  // The owner is dead, so the word cannot change under us except by waiters setting the
  // contended bit: retry the exchange until it sticks.
  if (Atomics.compareExchange(word, WORD, current, 0) !== current) return releaseDeadOwner(word, slot);
  Atomics.notify(word, WORD);
  Atomics.add(word, ASYNC, 1);
  Atomics.notify(word, ASYNC);
  return true;
}

function wouldDeadlock(what: string): WouldDeadlockError {
  return new WouldDeadlockError(
    `${what}: this thread already holds the lock, so lockSync() would wait forever. Release the first guard (end its \`using\` block or call guard[Symbol.dispose]()) before locking again, or use \`await lock()\` if another task on this thread will release it`,
  );
}
