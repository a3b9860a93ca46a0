/**
 * The last-resort drop: a handle that is garbage collected without being closed, moved or
 * dropped by its task still gives its share back (sender count, receiver presence), so the other
 * side sees the end of the stream. The callback holds only the shared memory, never the handle.
 */
export interface Share {
  settled: boolean;
  readonly release: () => void;
}

const registry = new FinalizationRegistry<Share>((share) => {
  if (share.settled) return;
  share.settled = true;
  share.release();
});

export function watchShare(owner: object, release: () => void): Share {
  const share: Share = { settled: false, release };
  registry.register(owner, share, share);
  return share;
}

/** The owner gave its share back (or passed it on in a move): the collector has nothing left to do. */
export function settleShare(share: Share): void {
  share.settled = true;
  registry.unregister(share);
}
