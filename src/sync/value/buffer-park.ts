/**
 * How a SharedArrayBuffer stored into a lock by one thread reaches a thread that did not see it
 * arrive with the handle.
 *
 * Buffers that a value already holds when its handle is moved travel in the handle's
 * descriptor. A buffer stored later (a worker puts a new typed array into a Mutex) exists only
 * in the storing thread until parked: the storing thread parks it in the main thread's hub
 * under a ticket, writes the ticket into the value's header, and any thread that later decodes
 * the value and lacks the buffer claims it by ticket, once (then it is cached with the handle).
 *
 * A worker's claim is answered by the main thread's event loop: a main thread blocked in
 * lockSync() while a worker claims would wait for itself. Prefer `await lock()` on the main
 * thread (the package's advice anyway).
 *
 * Only buffers stored after the handle was first described are parked (earlier ones travel in
 * every descriptor). Parked buffers stay parked for the life of the process (at most
 * MAX_BUFFERS per value): any thread holding the handle may still need them, and nothing tells
 * when the last one is gone.
 */
import { InvalidArgumentError } from '../../errors.js';
import { encodeEnvelope } from '../../codec/index.js';
import { claimSync, stash } from '../../hub/hub.js';

/** The ticket of a buffer that was never parked (it travels in descriptors). */
export const NOT_PARKED = -1;

export function parkBuffer(buffer: SharedArrayBuffer): number {
  return stash(encodeEnvelope(buffer, 'a shared buffer'), 'many');
}

export function claimBuffer(ticket: number, where: string): SharedArrayBuffer {
  if (ticket === NOT_PARKED) {
    throw new InvalidArgumentError(`${where}: refers to a SharedArrayBuffer this thread was never given (a descriptor lost it: a bug in fearless)`);
  }
  const claimed = claimSync(ticket);
  if (!(claimed instanceof SharedArrayBuffer)) {
    throw new InvalidArgumentError(`${where}: hub ticket ${ticket} did not hold a SharedArrayBuffer (two versions of fearless in one process?)`);
  }
  return claimed;
}
