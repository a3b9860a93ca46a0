/**
 * Messages that cannot travel as bytes (they hold handles, ArrayBuffers to transfer or
 * SharedArrayBuffers to share) are parked in the thread runtime's hub; the ring carries only
 * their ticket, so they keep their place in the order.
 */
import { NotCloneableError } from '../errors.js';

export interface Parked {
  readonly ticket: number;
  /** The message is in the queue: moved handles become unusable, ArrayBuffers detach. */
  commit(): void;
  /** The message was refused (receiver gone): give the ticket back, leave the value intact. */
  cancel(): void;
}

export function park(_value: unknown): Parked {
  throw new NotCloneableError('', 'handles and ArrayBuffers in channel messages need the thread runtime (src/wire/hub.ts)', 'message');
}

export function unpark(ticket: number): unknown {
  throw new Error(`fearless channel: ticket ${ticket} cannot be claimed without the thread runtime`);
}

/** A parked message the receiver will never read (it was dropped): release what it holds. */
export function discard(_ticket: number): void {}
