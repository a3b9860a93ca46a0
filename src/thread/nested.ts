/**
 * `spawn` inside a spawned thread: the request goes to the main thread, which runs it on its
 * default pool and sends the outcome back, so a thread can fork more threads as in Rust.
 */
import { parentPort } from 'node:worker_threads';
import { ThreadAbortedError, ThreadPanic } from '../errors.js';
import { decodeEnvelope as decode, encodeEnvelope as encode } from '../codec/index.js';
import type { FromWorker, ToWorker } from '../wire/protocol.js';
import { callerUrl, needsCaller } from './caller.js';
import { JoinHandle } from './join-handle.js';
import type { Moved } from './move.js';
import { closureSource } from './source.js';

const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
let nextRequest = 1;

export function spawnFromWorker(moved: Moved<unknown[]> | undefined, fn: unknown): JoinHandle<unknown> {
  const source = closureSource(fn, 'spawn()');
  const taken = moved?.take() ?? { encoded: encode([], 'spawn()'), commit: () => {} };
  const requestId = nextRequest++;
  const result = new Promise<unknown>((resolve, reject) => pending.set(requestId, { resolve, reject }));
  const request: FromWorker = {
    type: 'spawn',
    requestId,
    source,
    caller: needsCaller(source) ? callerUrl() : undefined,
    payload: taken.encoded.payload,
  };
  parentPort!.postMessage(request, taken.encoded.transfer);
  taken.commit();
  return new JoinHandle(result, () => parentPort!.postMessage({ type: 'abort', requestId } satisfies FromWorker));
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
