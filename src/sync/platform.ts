/**
 * The shared-memory APIs the locks use (typed once in wire/shared-memory.ts). Unlike a channel's
 * pending recv(), a pending async lock keeps the event loop alive: a thread whose only work is
 * waiting for a lock must not simply exit.
 */
import { assertIsolated } from '#platform';
import { growableSharedArrayBuffer, waitAsync as waitAsyncImpl, type GrowableSharedArrayBuffer } from '../wire/shared-memory.js';

export type { GrowableSharedArrayBuffer } from '../wire/shared-memory.js';

export function growableSharedBuffer(byteLength: number, maxByteLength: number): GrowableSharedArrayBuffer {
  return growableSharedArrayBuffer(byteLength, maxByteLength);
}

/** A cast, no check: for buffers this package made growable itself (a ValueCell's). */
export function assumeGrowable(buffer: SharedArrayBuffer): GrowableSharedArrayBuffer {
  return buffer as GrowableSharedArrayBuffer;
}

type WaitResult = 'ok' | 'not-equal' | 'timed-out';

/**
 * Resolves once `array[index]` is notified or no longer holds `value`, without blocking the
 * event loop, and keeps the event loop alive meanwhile (a channel's `waitAsyncUnref` does not).
 * Same wake-up rules as `Atomics.wait`: whoever changes the word notifies it.
 */
export function waitAsyncKeepingAlive(array: Int32Array, index: number, value: number, timeout?: number): Promise<WaitResult> | WaitResult {
  const result = waitAsyncImpl(array, index, value, timeout);
  if (!result.async) return result.value;
  // A pending waitAsync does not keep Node's event loop alive: without this timer a worker
  // (or a main thread) whose only work is waiting for a lock would simply exit.
  const keepAlive = setInterval(() => {}, 2 ** 30);
  return result.value.finally(() => clearInterval(keepAlive));
}

/** Small Int32 control block over its own SharedArrayBuffer. */
export function sharedInt32(length: number): Int32Array {
  assertIsolated();
  return new Int32Array(new SharedArrayBuffer(length * 4));
}
