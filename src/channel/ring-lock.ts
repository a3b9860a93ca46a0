/**
 * A channel's two locks, both owned futex locks (sync/owned-lock.ts: owner encoding, dead
 * owners, wake protocol and spin policy are written there):
 *
 * - LOCK, the producers' lock: senders on any thread serialise their writes into the ring with
 *   it, and the consumer takes it for a moment when it passes a WRAP record (the only place its
 *   view of the layout can race with a producer growing the ring);
 * - CONSUMER_CLAIM, the consumers' claim once the receiver was cloned (consumer-claim.ts).
 *
 * Each is held for a copy or one record, never while user code runs nor across an await, so the
 * blocking slow path is rare and short — short enough to be acceptable on the main thread too.
 * Blocking only: no async waiter words. A thread that died holding one is released by the main
 * thread (connection.ts, through `releaseLocksOf`); neither lock publishes anything before it
 * is done, so the next holder finds the ring as the dead one found it.
 */
import { WouldDeadlockError } from '../errors.js';
import { TAKEN, lockOwnedSync, ownerMark, releaseDeadOwner, tryLockOwned, unlockOwned } from '../sync/owned-lock.js';
import { CONSUMER_CLAIM, LOCK } from './layout.js';

/** Takes the lock at `control[at]` (LOCK or CONSUMER_CLAIM) for thread `slot`, blocking. */
export function lock(control: Int32Array, slot: number, at = LOCK): void {
  const mine = ownerMark(slot);
  if (tryLockOwned(control, at, mine) || lockOwnedSync(control, at, mine) === TAKEN) return;
  // Held by this very thread: no path re-enters it, so waiting would be a hang, not a wait.
  throw new WouldDeadlockError(`fearless: a channel lock (word ${at}) was taken again by the thread holding it; this is a bug in fearless, please report it`);
}

export function unlock(control: Int32Array, at = LOCK): void {
  unlockOwned(control, at);
}

/** Main thread, after thread `slot` died: free whichever of the channel's locks it held. */
export function releaseLocksOf(control: Int32Array, slot: number): void {
  releaseDeadOwner(control, LOCK, slot);
  releaseDeadOwner(control, CONSUMER_CLAIM, slot);
}
