/**
 * Typings for the ES2024 features channels use, which Node 20 has but the project's `es2022`
 * lib does not declare: growable SharedArrayBuffers and `Atomics.waitAsync`.
 */

export interface GrowableSharedArrayBuffer extends SharedArrayBuffer {
  readonly growable: boolean;
  readonly maxByteLength: number;
  grow(byteLength: number): void;
}

const GrowableConstructor = SharedArrayBuffer as unknown as new (
  byteLength: number,
  options: { maxByteLength: number },
) => GrowableSharedArrayBuffer;

export function growableSharedArrayBuffer(byteLength: number, maxByteLength: number): GrowableSharedArrayBuffer {
  return new GrowableConstructor(byteLength, { maxByteLength });
}

export function asGrowable(buffer: SharedArrayBuffer): GrowableSharedArrayBuffer | undefined {
  return (buffer as Partial<GrowableSharedArrayBuffer>).growable === true ? (buffer as GrowableSharedArrayBuffer) : undefined;
}

type WaitAsyncResult =
  | { readonly async: false; readonly value: 'not-equal' | 'timed-out' }
  | { readonly async: true; readonly value: Promise<'ok' | 'timed-out'> };

export const waitAsync = (Atomics as unknown as {
  waitAsync(this: void, array: Int32Array, index: number, value: number, timeoutMs?: number): WaitAsyncResult;
}).waitAsync;
