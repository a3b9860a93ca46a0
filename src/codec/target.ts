/**
 * What the codec needs from the place a value goes to, besides the bytes: where the parts that
 * are never copied travel (SharedArrayBuffers, moved ArrayBuffers) and which handles the place
 * accepts. Each transport implements it once: the postMessage envelope (envelope.ts), a lock's
 * value cell and an Arc<Map>'s index (sync/).
 */
import type { Handle, HandleDescriptor } from '../wire/handle.js';
import { Buffer } from '#platform';

export interface EncodeTarget {
  /** The id a SharedArrayBuffer travels under (registering it if new). */
  sharedId(buffer: SharedArrayBuffer): number;
  /** The transfer-list index `buffer` moves under, or -1: copy its bytes into the value. */
  transferIndex(buffer: ArrayBuffer): number;
  /** A handle about to be written: a refusal reason, or undefined to accept (noting a move). */
  acceptHandle(handle: Handle, descriptor: HandleDescriptor): string | undefined;
}

export interface DecodeSource {
  sharedAt(id: number): SharedArrayBuffer;
  transferredAt(index: number): ArrayBuffer;
}

/** Fixed-length views over the memory a value is read from (a ring, a cell, an envelope). */
export interface ReadViews {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  /** Node's latin1/UTF-16 decoders over the same memory (no copy). */
  readonly text: Buffer;
}

/** Views over `bytes` (indexes from 0 = `bytes[0]`). */
export function viewsOf(bytes: Uint8Array): ReadViews {
  return {
    bytes,
    view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
  };
}
