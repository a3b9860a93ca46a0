/**
 * The byte-writing half of the encoder: a growable buffer, numbers and strings in the format
 * of tags.ts. One writer per nesting level of encodes (encode.ts), never one per thread.
 */
import * as tag from './tags.js';
import { Buffer } from '#platform';

const SHORT_STRING = 64;
const NON_LATIN1 = /[\u0100-\uffff]/;
const MAX_KEY_BLOCKS = 1024;

export class ByteWriter {
  bytes = new Uint8Array(4096);
  /** The same memory as a Buffer, for Node's native latin1 and UTF-16 writers. */
  text = Buffer.from(this.bytes.buffer);
  view = new DataView(this.bytes.buffer);
  /** The same memory as 32-bit words (the buffer's length is a multiple of 4), for copying it out. */
  words = new Int32Array(this.bytes.buffer);
  at = 0;
  /** Encoded key lists by first key: objects of one shape write their keys by a copy. */
  private readonly keyBlocks = new Map<string, { readonly keys: readonly string[]; readonly bytes: Uint8Array; readonly view: DataView }>();

  reserve(count: number): void {
    if (this.at + count <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.at + count) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.at));
    this.bytes = next;
    this.text = Buffer.from(next.buffer);
    this.view = new DataView(next.buffer);
    this.words = new Int32Array(next.buffer);
  }

  u8(value: number): void {
    this.reserve(1);
    this.bytes[this.at++] = value;
  }

  u32(value: number): void {
    this.reserve(4);
    this.view.setUint32(this.at, value, true);
    this.at += 4;
  }

  f64(value: number): void {
    this.reserve(8);
    this.view.setFloat64(this.at, value, true);
    this.at += 8;
  }

  raw(bytes: Uint8Array): void {
    this.u32(bytes.length);
    this.reserve(bytes.length);
    this.bytes.set(bytes, this.at);
    this.at += bytes.length;
  }

  number(value: number): void {
    this.reserve(9);
    if ((value | 0) === value && !(value === 0 && 1 / value < 0)) {
      this.bytes[this.at] = tag.INT;
      this.view.setInt32(this.at + 1, value, true);
      this.at += 5;
    } else {
      this.bytes[this.at] = tag.FLOAT;
      this.view.setFloat64(this.at + 1, value, true);
      this.at += 9;
    }
  }

  string(value: string): void {
    const length = value.length;
    if (length < SHORT_STRING) {
      this.reserve(2 + length);
      const bytes = this.bytes;
      const start = this.at;
      bytes[start] = tag.STRING8;
      bytes[start + 1] = length;
      let at = start + 2;
      for (let index = 0; index < length; index++) {
        const code = value.charCodeAt(index);
        if (code > 0xff) {
          this.utf16(value);
          return;
        }
        bytes[at++] = code;
      }
      this.at = at;
      return;
    }
    if (NON_LATIN1.test(value)) {
      this.utf16(value);
      return;
    }
    this.reserve(5 + length);
    this.bytes[this.at] = tag.LATIN1;
    this.view.setUint32(this.at + 1, length, true);
    this.text.write(value, this.at + 5, length, 'latin1');
    this.at += 5 + length;
  }

  /** Code units as they are (Node's UTF-16LE writer keeps lone surrogates). */
  private utf16(value: string): void {
    const length = value.length;
    this.reserve(5 + 2 * length);
    this.bytes[this.at] = tag.UTF16;
    this.view.setUint32(this.at + 1, length, true);
    this.text.write(value, this.at + 5, 2 * length, 'utf16le');
    this.at += 5 + 2 * length;
  }

  keys(keys: readonly string[]): void {
    const first = keys[0];
    if (first === undefined) return;
    const known = this.keyBlocks.get(first);
    if (known !== undefined && sameKeys(known.keys, keys)) {
      const block = known.bytes;
      const length = block.length;
      this.reserve(length);
      const start = this.at;
      // Key lists are tens of bytes: four at a time (unaligned DataView access), then the
      // tail; both beat TypedArray#set's call overhead at this size.
      const view = this.view;
      const from = known.view;
      const words = length & ~3;
      for (let index = 0; index < words; index += 4) view.setInt32(start + index, from.getInt32(index, true), true);
      const bytes = this.bytes;
      for (let index = words; index < length; index++) bytes[start + index] = block[index]!;
      this.at = start + length;
      return;
    }
    const start = this.at;
    for (const key of keys) this.string(key);
    if (known !== undefined || this.keyBlocks.size < MAX_KEY_BLOCKS) {
      const bytes = this.bytes.slice(start, this.at);
      this.keyBlocks.set(first, { keys, bytes, view: new DataView(bytes.buffer) });
    }
  }
}

function sameKeys(known: readonly string[], keys: readonly string[]): boolean {
  if (known.length !== keys.length) return false;
  // Property keys are internalised strings: comparing them is comparing pointers.
  for (let index = 0; index < keys.length; index++) if (known[index] !== keys[index]) return false;
  return true;
}
