/**
 * The producers' lock: senders on any thread serialise their writes into the ring with it, and
 * the consumer takes it for a moment when it passes a WRAP record (the only place its view of
 * the layout can race with a producer growing the ring). It is held for a copy, never while user
 * data is walked, so the blocking slow path is rare and short — short enough to be acceptable on
 * the main thread too.
 *
 * Drepper's futex mutex ("Futexes Are Tricky", mutex3): 0 free, 1 held, 2 held with sleepers.
 * LOCK_OWNER holds the holder's thread slot + 1 so that a thread that dies holding it can be
 * released by the main thread (see `releaseLockOf`).
 */
import { LOCK, LOCK_OWNER } from './layout.js';

const SPINS = 64;

export function lock(control: Int32Array, slot: number): void {
  if (Atomics.compareExchange(control, LOCK, 0, 1) !== 0) lockSlow(control);
  Atomics.store(control, LOCK_OWNER, slot + 1);
}

function lockSlow(control: Int32Array): void {
  for (let spin = 0; spin < SPINS; spin++) {
    if (Atomics.load(control, LOCK) === 0 && Atomics.compareExchange(control, LOCK, 0, 1) === 0) return;
  }
  let state = Atomics.exchange(control, LOCK, 2);
  while (state !== 0) {
    // Sleeps while the lock is held with sleepers; woken by `unlock` of the holder (or by
    // `releaseLockOf` on the main thread when the holder died).
    Atomics.wait(control, LOCK, 2);
    state = Atomics.exchange(control, LOCK, 2);
  }
}

export function unlock(control: Int32Array): void {
  Atomics.store(control, LOCK_OWNER, 0);
  if (Atomics.sub(control, LOCK, 1) !== 1) {
    Atomics.store(control, LOCK, 0);
    // Wakes one producer (or the consumer at a WRAP) sleeping in `lockSlow`.
    Atomics.notify(control, LOCK, 1);
  }
}

/** Main thread, after thread `slot` died: free the lock if that thread held it. */
export function releaseLockOf(control: Int32Array, slot: number): void {
  if (Atomics.compareExchange(control, LOCK_OWNER, slot + 1, 0) !== slot + 1) return;
  Atomics.store(control, LOCK, 0);
  // Wakes every thread sleeping in `lockSlow`: the holder will never unlock.
  Atomics.notify(control, LOCK);
}
