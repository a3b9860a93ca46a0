/** The codec's byte tags and shared tables (see codec.ts for the format's rationale). */

/** Where a value's SharedArrayBuffers are registered: ids are stable across threads. */
export interface BufferTable {
  /** The id of `buffer`, registering it if new. */
  idOf(buffer: SharedArrayBuffer): number;
  /** The buffer registered as `id` (fetched from the thread that registered it if needed). */
  bufferAt(id: number): SharedArrayBuffer;
}

export const enum Tag {
  Undefined = 0,
  Null,
  False,
  True,
  Int,
  Float,
  String,
  BigInt,
  Array,
  Object,
  Map,
  Set,
  Date,
  V8Blob,
  SharedBuffer,
  SharedView,
  Handle,
  BackReference,
}

/** Typed array constructors by stable index, so a view's type crosses as one byte. */
export const viewTypes = [
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array, DataView,
] as const;

export type ViewType = new (buffer: SharedArrayBuffer, byteOffset: number, length: number) => ArrayBufferView;

export const blobTypes: readonly (abstract new (...args: never) => unknown)[] = [RegExp, Error, ArrayBuffer];
