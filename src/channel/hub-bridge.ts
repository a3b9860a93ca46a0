/**
 * Messages that cannot travel as bytes (they hold handles, ArrayBuffers to transfer or
 * SharedArrayBuffers to share) are parked in the thread runtime's hub; the ring carries only
 * their ticket, so they keep their place in the order.
 */
import { threadSlot } from '../wire/context.js';
import { commitMove, encode, type Encoded } from '../wire/encode.js';
import { drop, isHandle } from '../wire/handle.js';
import { claimSync, retire, stash, transferables } from '../wire/hub.js';

export interface Parked {
  readonly ticket: number;
  /** The message is in the queue: moved handles become unusable here. */
  commit(): void;
  /** The message was refused (receiver gone): give the ticket back. */
  cancel(): void;
}

/** Encodes `value` (NotCloneableError names the path) and parks it; nothing is moved until `commit`. */
export function park(value: unknown): Parked {
  const encoded = encode(value, 'message');
  // A worker's stash posts the payload to the main thread, transferring its ArrayBuffers (they
  // detach here, as a move should). The main thread keeps the payload in memory instead, so it
  // makes the transfer itself: the sender's buffers detach and the hub holds the only copy.
  const parked: Encoded = threadSlot() === 0 && encoded.transfer.length > 0 ? onMainThread(encoded) : encoded;
  const ticket = stash(parked);
  return {
    ticket,
    commit: () => commitMove(encoded),
    cancel: () => retire(ticket),
  };
}

function onMainThread(encoded: Encoded): Encoded {
  const payload = structuredClone(encoded.payload, { transfer: encoded.transfer });
  return { payload, transfer: transferables(payload), moves: encoded.moves };
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
  const items = value instanceof Map ? [...value.keys(), ...value.values()] : value instanceof Set || Array.isArray(value) ? [...(value as Iterable<unknown>)] : Object.values(value);
  for (const item of items) dropHandles(item, seen);
}
