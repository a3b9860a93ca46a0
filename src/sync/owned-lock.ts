/**
 * The owned futex lock: one Int32 word that is both the lock and the name of its holder. Every
 * lock of the package that a thread holds exclusively is one: Mutex (sync/mutex/mutex.ts), a
 * channel's producer lock (channel/ring-lock.ts) and its consumers' claim
 * (channel/consumer-claim.ts). Drepper's "mutex3" ("Futexes Are Tricky") with the owner in the
 * word. The invariants, once for all three:
 *
 * 1. Owner encoding.
 *
 *      0                         free
 *      (slot + 1) << 1           held by thread `slot`, nobody asleep      (`ownerMark(slot)`)
 *      ((slot + 1) << 1) | 1     held by thread `slot`, CONTENDED: someone may be asleep on it
 *
 *    Taking the lock and recording who took it is one compare-exchange, so there is no moment
 *    at which the lock is held by nobody known. Costs nothing on the fast path (a CAS from 0
 *    either way).
 *
 * 2. A dead owner. A thread that dies holding the lock never unlocks it. The main thread, told
 *    of the death, calls `releaseDeadOwner(words, at, slot)`: if the word names that slot, it
 *    is freed and EVERY sleeper woken (blocked and async). Nobody else can change the word
 *    meanwhile except sleepers setting CONTENDED, so the release retries until it sticks. What
 *    the lock protected may be half-updated: each user says what that means for it (Mutex
 *    poisons first; the channel locks publish nothing before finishing, so the next holder
 *    finds the ring as it was).
 *
 * 3. Wake protocol. A waiter that finds the lock held sets CONTENDED and sleeps on the word with
 *    the value it saw: an unlock between its look and its sleep changed the word, so the sleep
 *    returns at once (no lost wake-up). `unlockOwned` exchanges the word for 0 and, only if
 *    CONTENDED was set, wakes ONE blocked sleeper. A woken thread takes the lock with CONTENDED
 *    set (others may still be asleep), so its own unlock wakes the next. A timed-out waiter
 *    leaves CONTENDED set: the next unlock pays one spare notify, nothing more.
 *    Async waiters (locks that have them: a block of two more words at `asyncAt`) do not sleep
 *    on the lock word but on a sequence word, [asyncAt], and count themselves in [asyncAt + 1].
 *    A contended unlock with async waiters bumps the sequence and wakes one of them too.
 *    Atomics.notify(…, 1) wakes waiters in arrival order whatever their kind, so on one word a
 *    wake-up could go to an async waiter whose thread is busy while a blocked thread sleeps on a
 *    free lock. An async waiter reads the sequence BEFORE looking at the lock word, so an unlock
 *    in between moved the sequence and its wait returns at once; it counts itself before its
 *    first look, so an unlock that saw no async waiter happened before that look, which then
 *    sees the lock free.
 *
 * 4. Spin policy. Blocked waiters load the word `SPINS` times (64) before announcing
 *    themselves: every holder holds for a copy or a short critical section, and one on another
 *    core usually lets go within that. Async waiters do not spin (the event loop has other
 *    work); they re-check once per wake-up.
 *
 * The lock is not re-entrant. A blocked acquisition by the holder itself returns `HELD_HERE`
 * instead of sleeping forever; the caller turns that into its error.
 *
 * Fast paths. Taking a free lock is one compare-exchange (`tryLockOwned`), freeing an
 * uncontended one one exchange (`unlockOwned`). The channel locks call these; Mutex writes the
 * same two atomics inline (mutex.ts) and calls only the slow halves here. Why: V8 gives an
 * Int32Array over a growable SharedArrayBuffer (a Mutex's words share its value's growable
 * buffer) another elements kind than one over a plain SharedArrayBuffer (a channel's control
 * block); one function taking both goes polymorphic, which cost the uncontended Mutex ~13% in a
 * program that also used a channel. The slow halves wait or spin anyway.
 */
import { waitAsyncKeepingAlive } from './platform.js';
import { waitShort } from '../wire/shared-memory.js';

export const CONTENDED = 1;
/** Loads before sleeping (invariant 4). */
const SPINS = 64;

/** What `lockOwnedSync` did: took the lock, gave up at the deadline, or found it held by `mine`. */
export const TAKEN = 1;
export const TIMED_OUT = 0;
export const HELD_HERE = -1;
export type LockOutcome = typeof TAKEN | typeof TIMED_OUT | typeof HELD_HERE;

/** The word's value while thread `slot` holds the lock and nobody sleeps (invariant 1). */
export function ownerMark(slot: number): number {
  return (slot + 1) << 1;
}

/** The slot holding the lock at `words[at]`, or -1 if it is free. */
export function ownerOf(words: Int32Array, at: number): number {
  return (Atomics.load(words, at) >> 1) - 1;
}

/** The fast path: one compare-exchange from free to `mine` (an `ownerMark`). */
export function tryLockOwned(words: Int32Array, at: number, mine: number): boolean {
  return Atomics.compareExchange(words, at, 0, mine) === 0;
}

/**
 * Blocks until the lock at `words[at]` is taken by `mine`, or until `deadline` (a
 * `performance.now()` time; Infinity: never). Call after `tryLockOwned` failed.
 */
export function lockOwnedSync(words: Int32Array, at: number, mine: number, deadline = Number.POSITIVE_INFINITY): LockOutcome {
  for (let spin = 0; spin < SPINS; spin++) {
    const current = Atomics.load(words, at);
    if (current === 0) {
      if (Atomics.compareExchange(words, at, 0, mine) === 0) return TAKEN;
    } else if ((current & ~CONTENDED) === mine) {
      return HELD_HERE;
    }
  }
  for (;;) {
    const current = Atomics.load(words, at);
    if (current === 0) {
      // Taken with CONTENDED set: others may still be asleep, and our unlock must wake them.
      if (Atomics.compareExchange(words, at, 0, mine | CONTENDED) === 0) return TAKEN;
      continue;
    }
    if ((current & ~CONTENDED) === mine) return HELD_HERE;
    if ((current & CONTENDED) === 0 && Atomics.compareExchange(words, at, current, current | CONTENDED) !== current) continue;
    const left = deadline === Number.POSITIVE_INFINITY ? deadline : deadline - performance.now();
    if (left <= 0) return TIMED_OUT;
    // Woken by the holder's unlockOwned, or by releaseDeadOwner when the holder died; at once
    // if the word no longer holds what we saw. On a page's main thread, which may not block,
    // a spin (waitShort): only a channel's locks get here there, held a few instructions at a
    // time; the public blocking forms (Mutex.lockSync…) refuse that thread before (checkMayBlock).
    waitShort(words, at, current | CONTENDED, left);
  }
}

/**
 * Waits for the lock without blocking the event loop; resolves false if `deadline` passed first.
 * Only for a lock with async waiter words at `asyncAt` (invariant 3). A lock held by this same
 * thread is waited for too: another task of the thread may release it. The pending wait keeps
 * the event loop alive (platform.ts): a thread whose only work is waiting for a lock must not exit.
 */
export async function lockOwnedAsync(words: Int32Array, at: number, asyncAt: number, mine: number, deadline = Number.POSITIVE_INFINITY): Promise<boolean> {
  // Counted before the first look at the lock word (invariant 3).
  Atomics.add(words, asyncAt + 1, 1);
  try {
    for (;;) {
      const sequence = Atomics.load(words, asyncAt);
      const current = Atomics.load(words, at);
      if (current === 0) {
        if (Atomics.compareExchange(words, at, 0, mine | CONTENDED) === 0) return true;
        continue;
      }
      if ((current & CONTENDED) === 0 && Atomics.compareExchange(words, at, current, current | CONTENDED) !== current) continue;
      const left = deadline - performance.now();
      if (left <= 0) return false;
      // Resolved by the holder's unlockOwned (or releaseDeadOwner), which bumps the sequence first.
      await waitAsyncKeepingAlive(words, asyncAt, sequence, left === Number.POSITIVE_INFINITY ? undefined : left);
    }
  } finally {
    Atomics.sub(words, asyncAt + 1, 1);
  }
}

/**
 * Frees the lock (the caller holds it). `asyncAt`: where its async waiter words are, if it has
 * any. Only a contended word costs a notify.
 */
export function unlockOwned(words: Int32Array, at: number, asyncAt = -1): void {
  if ((Atomics.exchange(words, at, 0) & CONTENDED) !== 0) wakeAfterUnlock(words, at, asyncAt);
}

/** The slow half of an unlock whose exchange found CONTENDED: wake one blocked and one async sleeper, if any. */
export function wakeAfterUnlock(words: Int32Array, at: number, asyncAt = -1): void {
  Atomics.notify(words, at, 1);
  if (asyncAt < 0 || Atomics.load(words, asyncAt + 1) === 0) return;
  Atomics.add(words, asyncAt, 1);
  Atomics.notify(words, asyncAt, 1);
}

/**
 * Main thread, after thread `slot` died: if it held the lock, free it and wake every sleeper
 * (invariant 2). Returns whether it did.
 */
export function releaseDeadOwner(words: Int32Array, at: number, slot: number, asyncAt = -1): boolean {
  for (;;) {
    const current = Atomics.load(words, at);
    if (current === 0 || (current & ~CONTENDED) !== ownerMark(slot)) return false;
    // Only sleepers setting CONTENDED can change the word now: retry until the exchange sticks.
    if (Atomics.compareExchange(words, at, current, 0) === current) break;
  }
  Atomics.notify(words, at);
  if (asyncAt >= 0) {
    Atomics.add(words, asyncAt, 1);
    Atomics.notify(words, asyncAt);
  }
  return true;
}
