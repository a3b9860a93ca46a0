/**
 * The shared-memory APIs Node 20 has but the package's `lib` setting (es2022) does not
 * describe: growable SharedArrayBuffers and `Atomics.waitAsync`. Typed here, once, for channels
 * and locks alike, rather than by augmenting the global types, so users' declarations are not
 * changed.
 */

export interface GrowableSharedArrayBuffer extends SharedArrayBuffer {
  readonly growable: boolean;
  readonly maxByteLength: number;
  grow(byteLength: number): void;
}

const GrowableConstructor = SharedArrayBuffer as unknown as new (byteLength: number, options: { maxByteLength: number }) => GrowableSharedArrayBuffer;

export function growableSharedArrayBuffer(byteLength: number, maxByteLength: number): GrowableSharedArrayBuffer {
  return new GrowableConstructor(byteLength, { maxByteLength });
}

export type WaitAsyncResult =
  | { readonly async: false; readonly value: 'not-equal' | 'timed-out' }
  | { readonly async: true; readonly value: Promise<'ok' | 'timed-out'> };

/** `Atomics.waitAsync`, typed. A pending wait does not keep the event loop alive by itself. */
export const waitAsync = (Atomics as unknown as {
  waitAsync(this: void, array: Int32Array, index: number, value: number, timeoutMs?: number): WaitAsyncResult;
}).waitAsync;
