/**
 * Messages that cannot travel as bytes alone (they share SharedArrayBuffers, move ArrayBuffers
 * or move handles) are parked as envelopes in the thread runtime's hub; the ring carries only
 * their ticket, so they keep their place in the order.
 */
import { commitMove, type Envelope } from '../codec/index.js';
import { threadSlot } from '../wire/context.js';
import { drop, isHandle, type Handle } from '../wire/handle.js';
import { claimSync, retire, stash } from '../wire/hub.js';

export interface Parked {
  readonly ticket: number;
  /** The message is in the queue: moved handles become unusable here. */
  commit(): void;
  /** The message was refused (receiver gone): give the ticket back. */
  cancel(): void;
}

/** Parks an encoded message; nothing is moved until `commit`. */
export function park(envelope: Envelope, transfer: ArrayBuffer[], moves: Handle[]): Parked {
  // A worker's stash posts the envelope to the main thread, transferring its ArrayBuffers (they
  // detach here, as a move should). The main thread keeps the envelope in memory instead, so it
  // makes the transfer itself: the sender's buffers detach and the hub holds the only copy.
  const parked = threadSlot() === 0 && transfer.length > 0 ? structuredClone(envelope, { transfer }) : envelope;
  const ticket = stash({ payload: parked, transfer: parked === envelope ? transfer : [...parked.transfer], moves });
  return {
    ticket,
    commit: () => commitMove({ moves }),
    cancel: () => retire(ticket),
  };
}

export function unpark(ticket: number): unknown {
  return claimSync(ticket);
}

/**
 * A parked message the receiver will never read (it was dropped with the message queued):
 * release what it holds, as Rust drops queued messages with the receiver — the senders and
 * receivers inside it are dropped, so the channels they belong to see them go.
 */
export function discard(ticket: number): void {
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
