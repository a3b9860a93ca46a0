/**
 * A nested spawn, the worker's side: `spawn` inside a spawned thread sends its request to the
 * main thread, which runs it on its default pool (server.ts) and sends the outcome back, so a
 * thread can fork more threads as in Rust. src/thread/spawn.ts makes the closure's source, takes
 * the moved values and builds the JoinHandle; this module only carries the request and its
 * answer, so it imports nothing from src/thread/.
 */
import { parentPort } from '#platform';
import { ThreadAbortedError, ThreadPanic } from '../errors.js';
import { decodeEnvelope as decode, type Encoded } from '../codec/index.js';
import type { FromWorker, ToWorker } from '../wire/protocol.js';
import type { Submitted } from './server.js';

const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
let nextRequest = 1;

/** Asks the main thread to run `source` with `values` (already taken from the caller: see Moved.take). */
export function requestSpawn(source: string, caller: string | undefined, values: Encoded): Submitted {
  const requestId = nextRequest++;
  const result = new Promise<unknown>((resolve, reject) => pending.set(requestId, { resolve, reject }));
  const request: FromWorker = { type: 'spawn', requestId, source, caller, payload: values.payload };
  parentPort!.postMessage(request, values.transfer);
  return { result, abort: () => parentPort!.postMessage({ type: 'abort', requestId } satisfies FromWorker) };
}

/** The worker bootstrap hands the main thread's answers here. */
export function settleNestedSpawn(message: Extract<ToWorker, { type: 'spawned' }>): void {
  const waiting = pending.get(message.requestId);
  if (waiting === undefined) return;
  pending.delete(message.requestId);
  if (message.ok) waiting.resolve(decode(message.payload));
  // An abort crosses back as a cause named after its error: it stays an abort on this side.
  else waiting.reject(message.cause.name === 'ThreadAbortedError' ? new ThreadAbortedError() : new ThreadPanic(message.cause));
}

/** Nested spawns of this worker still waiting for their answer (an idle worker must not sleep on them). */
export function nestedPending(): number {
  return pending.size;
}
