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

/** A worker's stdout or stderr as Node has it: a stream whose chunks the main thread acknowledges. */
interface StdioStream {
  readonly writableLength?: number;
  write(chunk: string, callback: () => void): boolean;
}

/**
 * What a task printed reaches the main thread before its answer does: a promise that settles
 * once the worker's stdout and stderr have handed every chunk over, or undefined when nothing is
 * pending (a task that printed nothing pays two property reads).
 *
 * Invariant (nothing a task printed is lost): a worker's stdout and stderr send a chunk, then
 * keep later ones until the main thread acknowledges it, and only the worker's event loop takes
 * that acknowledgement. A worker that answered and parked at once (Atomics.wait) kept them; a
 * program that ended after join() lost them (the README tour printed 1–2 of its 10 job lines
 * in about 1 run in 20, a task printing 20 lines then another 20 lost the second 20). An empty
 * write's callback runs after every earlier write was handed over.
 */
export function stdioFlushed(): Promise<void> | undefined {
  const streams = process as { stdout?: StdioStream; stderr?: StdioStream };
  const pending = [streams.stdout, streams.stderr].filter((stream): stream is StdioStream => (stream?.writableLength ?? 0) > 0);
  if (pending.length === 0) return undefined;
  return Promise.all(pending.map((stream) => new Promise<void>((resolve) => stream.write('', resolve)))).then(() => undefined);
}
