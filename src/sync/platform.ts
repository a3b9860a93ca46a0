/**
 * Shared-memory APIs that Node 20 has but the package's `lib` setting (es2022) does not
 * describe: growable SharedArrayBuffers and `Atomics.waitAsync`. Typed here, locally, rather
 * than by augmenting the global types, so users' declarations are not changed.
 */

export interface GrowableSharedArrayBuffer extends SharedArrayBuffer {
  grow(byteLength: number): void;
}

const GrowableConstructor = SharedArrayBuffer as unknown as new (
  byteLength: number,
  options: { maxByteLength: number },
) => GrowableSharedArrayBuffer;

export function growableSharedBuffer(byteLength: number, maxByteLength: number): GrowableSharedArrayBuffer {
  return new GrowableConstructor(byteLength, { maxByteLength });
}

export function asGrowable(buffer: SharedArrayBuffer): GrowableSharedArrayBuffer {
  return buffer as GrowableSharedArrayBuffer;
}

type WaitResult = 'ok' | 'not-equal' | 'timed-out';

type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
  timeout?: number,
) => { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<WaitResult> };

const waitAsyncImpl = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/**
 * Resolves once `array[index]` is notified or no longer holds `value`, without blocking the
 * event loop. Same wake-up rules as `Atomics.wait`: whoever changes the word notifies it.
 */
export function waitAsync(array: Int32Array, index: number, value: number, timeout?: number): Promise<WaitResult> | WaitResult {
  const result = waitAsyncImpl(array, index, value, timeout);
  if (!result.async) return result.value;
  // A pending waitAsync does not keep Node's event loop alive: without this timer a worker
  // (or a main thread) whose only work is waiting for a lock would simply exit.
  const keepAlive = setInterval(() => {}, 2 ** 30);
  return result.value.finally(() => clearInterval(keepAlive));
}

/** Small Int32 control block over its own SharedArrayBuffer. */
export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * 4));
}
