/**
 * How a SharedArrayBuffer stored into a lock by one thread reaches a thread that did not see it
 * arrive with the handle.
 *
 * Buffers that a value already holds when its handle is moved travel in the handle's
 * descriptor. A buffer stored later (a worker puts a new typed array into a Mutex) exists only
 * in the storing thread until parked: the storing thread parks it with the main thread's hub
 * under a ticket, writes the ticket into the value's header, and any thread that later decodes
 * the value claims it by ticket, once (then it is cached with the handle).
 */
import { InvalidArgumentError } from '../../errors.js';

export interface BufferPark {
  /** Parks `buffer` for any number of claims; returns its ticket (a non-negative integer). */
  park(buffer: SharedArrayBuffer): number;
  /** The buffer parked under `ticket`, waiting for it if needed (blocks the thread). */
  claim(ticket: number): SharedArrayBuffer;
}

/** Ticket value meaning "not parked": the buffer could not be made reachable from other threads. */
export const NOT_PARKED = -1;

let installed: BufferPark | undefined;

/** Installed by the thread runtime, which owns the hub. */
export function setBufferPark(park: BufferPark | undefined): void {
  installed = park;
}

export function parkBuffer(buffer: SharedArrayBuffer): number {
  return installed === undefined ? NOT_PARKED : installed.park(buffer);
}

export function claimBuffer(ticket: number, where: string): SharedArrayBuffer {
  if (ticket === NOT_PARKED || installed === undefined) {
    throw new InvalidArgumentError(
      `${where}: it holds a SharedArrayBuffer that was stored by another thread and is not reachable from this one (store shared buffers before moving the handle, or run under fearless spawn, whose hub carries them)`,
    );
  }
  return installed.claim(ticket);
}
