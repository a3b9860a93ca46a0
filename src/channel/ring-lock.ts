/**
 * The producers' lock: senders on any thread serialise their writes into the ring with it, and
 * the consumer takes it for a moment when it passes a WRAP record (the only place its view of
 * the layout can race with a producer growing the ring). It is held for a copy, never while user
 * data is walked, so the blocking slow path is rare and short — short enough to be acceptable on
 * the main thread too.
 *
 * Drepper's futex mutex ("Futexes Are Tricky", mutex3) with the holder in the word: 0 free,
 * holder's thread slot + 1 while held, plus SLEEPERS while someone sleeps on it. Keeping the
 * owner in the same word costs nothing on the fast path and lets the main thread release the
 * lock of a thread that died holding it (`releaseLockOf`).
 */
import { LOCK } from './layout.js';
import { waitShort } from '../wire/shared-memory.js';

const SLEEPERS = 1 << 16;
const OWNER = SLEEPERS - 1;
const SPINS = 64;

export function lock(control: Int32Array, slot: number): void {
  if (Atomics.compareExchange(control, LOCK, 0, slot + 1) !== 0) lockSlow(control, slot + 1);
}

function lockSlow(control: Int32Array, mine: number): void {
  for (let spin = 0; spin < SPINS; spin++) {
    if (Atomics.load(control, LOCK) === 0 && Atomics.compareExchange(control, LOCK, 0, mine) === 0) return;
  }
  for (;;) {
    const seen = Atomics.load(control, LOCK);
    if (seen === 0) {
      // Taken with SLEEPERS set: others may still be asleep, and our unlock must wake them.
      if (Atomics.compareExchange(control, LOCK, 0, mine | SLEEPERS) === 0) return;
      continue;
    }
    if ((seen & SLEEPERS) === 0 && Atomics.compareExchange(control, LOCK, seen, seen | SLEEPERS) !== seen) continue;
    // Sleeps while the lock is held with sleepers; woken by the holder's `unlock` (or by
    // `releaseLockOf` on the main thread when the holder died).
    waitShort(control, LOCK, seen | SLEEPERS);
  }
}

export function unlock(control: Int32Array, slot: number): void {
  if (Atomics.compareExchange(control, LOCK, slot + 1, 0) === slot + 1) return;
  Atomics.store(control, LOCK, 0);
  // Wakes one producer (or the consumer at a WRAP) sleeping in `lockSlow`.
  Atomics.notify(control, LOCK, 1);
}

/** Main thread, after thread `slot` died: free the lock if that thread held it. */
export function releaseLockOf(control: Int32Array, slot: number): void {
  const seen = Atomics.load(control, LOCK);
  if ((seen & OWNER) !== slot + 1 || Atomics.compareExchange(control, LOCK, seen, 0) !== seen) return;
  // Wakes every thread sleeping in `lockSlow`: the holder will never unlock.
  Atomics.notify(control, LOCK);
}
