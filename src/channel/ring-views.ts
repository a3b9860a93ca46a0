/**
 * Fixed-length typed-array views over a channel's growable data buffer. Views that track a
 * growable buffer's length are several times slower to index on Node 20, so each side keeps
 * fixed-length views and re-makes them when it finds the buffer has grown (another thread may
 * have grown it: any thread sees the new `byteLength`).
 */
import type { GrowableSharedArrayBuffer } from './es2024.js';

export class RingViews {
  words: Int32Array;
  floats: Float64Array;
  bytes: Uint8Array;
  /** Length of the views in bytes (the buffer may be longer already). */
  length: number;

  constructor(readonly data: GrowableSharedArrayBuffer) {
    this.length = data.byteLength;
    this.words = new Int32Array(data, 0, this.length >> 2);
    this.floats = new Float64Array(data, 0, this.length >> 3);
    this.bytes = new Uint8Array(data, 0, this.length);
  }

  /** Re-makes the views if the buffer grew; returns the current length. */
  refresh(): number {
    const length = this.data.byteLength;
    if (length !== this.length) {
      this.length = length;
      this.words = new Int32Array(this.data, 0, length >> 2);
      this.floats = new Float64Array(this.data, 0, length >> 3);
      this.bytes = new Uint8Array(this.data, 0, length);
    }
    return length;
  }
}
