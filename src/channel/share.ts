/**
 * The last-resort drop: a handle that is garbage collected without being closed, moved or
 * dropped by its task still gives its share back (sender count, receiver presence), so the other
 * side sees the end of the stream. The callback holds only the shared memory, never the handle.
 */
import { heldUntilCollected, released } from '../wire/collection.js';

export interface Share {
  settled: boolean;
  readonly release: () => void;
}

const registry = new FinalizationRegistry<Share>((share) => {
  if (share.settled) return;
  share.settled = true;
  released();
  share.release();
});

/**
 * Registered, the owner (and the channel's growable buffer) outlives every young collection
 * until settled: it counts against this thread's collection budget (src/wire/collection.ts).
 */
export function watchShare(owner: object, release: () => void): Share {
  const share: Share = { settled: false, release };
  registry.register(owner, share, share);
  heldUntilCollected();
  return share;
}

/** The owner gave its share back (or passed it on in a move): the collector has nothing left to do. */
export function settleShare(share: Share): void {
  if (share.settled) return;
  share.settled = true;
  registry.unregister(share);
  released();
}
