/**
 * Whether this worker's event loop has anything pending besides its own ports: a timer, an
 * immediate, I/O, a child process, a nested spawn waiting for its answer, a port a task opened.
 * An idle worker parks without a timeout only when nothing is (see settle() in parking.ts): else
 * what a finished task left would wait for the next job.
 *
 * `process.getActiveResourcesInfo()` lists ref'd handles, requests, timers and immediates
 * (about 1 µs). Not seen: an unref'd timer or handle, an `Atomics.waitAsync` (a pending lock()
 * or recv() of a leftover), a FinalizationRegistry callback: those run when the worker next
 * wakes (its next job).
 */
import { nestedPending } from '../nested/client.js';

import { process } from '#platform';

const info = (process as { getActiveResourcesInfo?: () => string[] }).getActiveResourcesInfo;
/** The worker's own ports (parent port, hub port), counted at the end of its bootstrap. */
let ownPorts = 0;

/** Called once, when the bootstrap has opened and listened to its ports. */
export function countOwnPorts(): void {
  if (typeof info === 'function') ownPorts = info.call(process).filter((kind) => kind === 'MessagePort').length;
}

/** Undefined where the runtime cannot tell (Bun, Deno without the call). */
export function pendingWork(): boolean | undefined {
  if (typeof info !== 'function') return undefined;
  if (nestedPending() > 0) return true;
  let ports = 0;
  for (const kind of info.call(process)) {
    if (kind !== 'MessagePort') return true;
    ports++;
  }
  return ports > ownPorts;
}
