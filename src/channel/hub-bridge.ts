/**
 * Messages that cannot travel as bytes alone (they share SharedArrayBuffers, move ArrayBuffers
 * or move handles) are parked as envelopes in the thread runtime's hub; the ring carries only
 * their ticket, so they keep their place in the order.
 */
import { commitMove, type Envelope } from '../codec/index.js';
import { threadSlot } from '../wire/context.js';
import { drop, isHandle, type Handle } from '../wire/handle.js';
import { claimForReceive, claimSync, discardable, handOverLive, PendingClaim, reserveTicket, retire, stash, stashLive } from '../hub/hub.js';

/**
 * A message that travels by the hub, from encoding to its fate. Invariant ("a refused send moves
 * nothing", README: Channels): nothing of the value is detached or moved before the ring has
 * admitted the message. The ticket is reserved first; `stash` runs under the producer lock once
 * `admit` said yes, just before the TICKET record is written (RingWriter.publish), so the
 * payload is in the hub before anyone can read its ticket; `commit` then detaches the sender's
 * buffers (main thread) and marks moved handles moved. A message the ring refused (full,
 * receiver gone) was never stashed, and `cancel` leaves the value as it was.
 */
export interface Parked {
  readonly ticket: number;
  /**
   * The commit may wait until the message is taken (main thread): a rendezvous send that ends
   * with the receiver gone before taking it then cancels, and its value comes back whole.
   * (A worker's stash has already transferred its buffers: it commits at the publish.)
   */
  readonly deferrable: boolean;
  /** Under the producer lock, the message admitted: put the payload in the hub. */
  stash(): void;
  /** The message is in the queue: its buffers detach, moved handles become unusable here. */
  commit(): void;
  /** The message was refused: give the ticket back (if stashed at all). */
  cancel(): void;
}

/** An encoded message ready to park; nothing is stashed, detached or moved until admitted. */
export function park(envelope: Envelope, transfer: ArrayBuffer[], moves: Handle[]): Parked {
  const ticket = reserveTicket();
  // The main thread keeps the envelope in memory: it holds the sender's buffers until `commit`
  // transfers them (the hub then holds the only copy). A worker's stash posts the envelope to
  // the main thread, transferring its ArrayBuffers: they detach at the stash, once admitted.
  const main = threadSlot() === 0;
  let stashed = false;
  return {
    ticket,
    deferrable: main,
    stash: () => {
      if (main) stashLive({ payload: envelope, transfer, moves }, ticket);
      else stash({ payload: envelope, transfer, moves }, 1, ticket);
      stashed = true;
    },
    commit: () => {
      if (main) handOverLive(ticket);
      commitMove({ moves });
    },
    cancel: () => {
      if (stashed) retire(ticket);
      stashed = false;
    },
  };
}

/**
 * The parked message under `ticket`, decoded. In a browser it may be a PendingClaim (its payload
 * is not on this thread yet, hub.ts): the async receives await it, the others call `onHand`.
 */
export { PendingClaim };

export function unpark(ticket: number): unknown {
  return claimForReceive(ticket);
}

/** Browser: what a receive that cannot wait (blocking, immediate) says of a PendingClaim. */
const notOnHand =
  "fearless: in a browser, this message's handles, SharedArrayBuffers or ArrayBuffers are not on this thread yet (they come through the page's event loop): receive it with await recv(), for await or await select(), not recvSync(), iterSync(), tryRecv(), tryIter() or selectSync(); or move them into spawn(...). The message is dropped";

/**
 * A receive that cannot wait (blocking or immediate) and took a PendingClaim: it throws, and the
 * message is dropped once it arrives (its handles released, as a dropped message's). Only a
 * browser makes PendingClaims; elsewhere this returns `result` as it is.
 */
export function onHand(result: unknown): unknown {
  if (!(result instanceof PendingClaim)) return result;
  result.promise.then((value) => dropHandles(value, new Set()), () => undefined);
  throw new Error(notOnHand);
}

/** An async receive's result: the value a PendingClaim (browser) brings, or `result` itself. */
export function settled(result: unknown): unknown {
  return result instanceof PendingClaim ? result.promise : result;
}

/**
 * A parked message the receiver will never read (it was dropped with the message queued):
 * release what it holds, as Rust drops queued messages with the receiver — the senders and
 * receivers inside it are dropped, so the channels they belong to see them go.
 */
export function discard(ticket: number): void {
  // A rendezvous sender still waiting on this message takes it back itself (hub Entry.held).
  if (!discardable(ticket)) return;
  let value: unknown;
  try {
    value = claimSync(ticket);
  } catch {
    // Already gone from the hub (its thread died with it, say): nothing is left to release, and
    // a drop — often at the end of a task — must not throw.
    return;
  }
  dropHandles(value, new Set());
}

function dropHandles(value: unknown, seen: Set<unknown>): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  if (isHandle(value)) {
    value[drop]?.();
    return;
  }
  if (ArrayBuffer.isView(value)) return;
  const items = value instanceof Map ? [...value.keys(), ...value.values()] : value instanceof Set || Array.isArray(value) ? [...(value as Iterable<unknown>)] : value instanceof Error ? [value.cause, ...(Object.values(value) as unknown[])] : Object.values(value);
  for (const item of items) dropHandles(item, seen);
}
