/**
 * The thread-local buffer the channel codec encodes into (codec-write.ts walks the value, this
 * writes the bytes). Messages are encoded here first and copied into the shared ring under the
 * producer lock, so the lock is never held while user data is walked.
 */
import * as tag from './codec-tags.js';

const SHORT_STRING = 64;
const NON_LATIN1 = /[\u0100-\uffff]/;
const MAX_KEY_BLOCKS = 1024;

class Scratch {
  bytes = new Uint8Array(16 * 1024);
  /** The same memory as a Buffer, for its native latin1 writer. */
  text = Buffer.from(this.bytes.buffer);
  view = new DataView(this.bytes.buffer);
  position = 0;
  /** Encoded key lists by first key: messages of one type encode their keys by a copy. */
  private readonly keyBlocks = new Map<string, { readonly keys: readonly string[]; readonly bytes: Uint8Array }>();

  /** The bytes written since the last `position = 0` (valid until the next message). */
  written(): Uint8Array {
    return new Uint8Array(this.bytes.buffer, 0, this.position);
  }

  reserve(count: number): void {
    if (this.position + count <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.position + count) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.position));
    this.bytes = next;
    this.text = Buffer.from(next.buffer);
    this.view = new DataView(next.buffer);
  }

  tag(value: number): void {
    this.reserve(1);
    this.bytes[this.position++] = value;
  }

  u32(value: number): void {
    this.reserve(4);
    this.view.setUint32(this.position, value, true);
    this.position += 4;
  }

  f64(value: number): void {
    this.reserve(8);
    this.view.setFloat64(this.position, value, true);
    this.position += 8;
  }

  blob(bytes: Uint8Array): void {
    this.tag(tag.TAG_V8);
    this.u32(bytes.length);
    this.reserve(bytes.length);
    this.bytes.set(bytes, this.position);
    this.position += bytes.length;
  }

  number(value: number): void {
    this.reserve(9);
    if ((value | 0) === value && !(value === 0 && 1 / value < 0)) {
      this.bytes[this.position] = tag.TAG_INT;
      this.view.setInt32(this.position + 1, value, true);
      this.position += 5;
    } else {
      this.bytes[this.position] = tag.TAG_FLOAT;
      this.view.setFloat64(this.position + 1, value, true);
      this.position += 9;
    }
  }

  string(value: string): void {
    const length = value.length;
    if (length < SHORT_STRING) {
      this.reserve(2 + length);
      const bytes = this.bytes;
      const start = this.position;
      bytes[start] = tag.TAG_STRING8;
      bytes[start + 1] = length;
      let at = start + 2;
      for (let index = 0; index < length; index++) {
        const code = value.charCodeAt(index);
        if (code > 0xff) {
          this.string16(value);
          return;
        }
        bytes[at++] = code;
      }
      this.position = at;
      return;
    }
    if (NON_LATIN1.test(value)) {
      this.string16(value);
      return;
    }
    this.reserve(5 + length);
    this.bytes[this.position] = tag.TAG_STRING32;
    this.view.setUint32(this.position + 1, length, true);
    this.text.write(value, this.position + 5, length, 'latin1');
    this.position += 5 + length;
  }

  private string16(value: string): void {
    const length = value.length;
    this.reserve(5 + 2 * length);
    const view = this.view;
    this.bytes[this.position] = tag.TAG_STRING16;
    view.setUint32(this.position + 1, length, true);
    let at = this.position + 5;
    for (let index = 0; index < length; index++, at += 2) view.setUint16(at, value.charCodeAt(index), true);
    this.position = at;
  }

  keys(keys: readonly string[]): void {
    const first = keys[0];
    if (first === undefined) return;
    const known = this.keyBlocks.get(first);
    if (known !== undefined && sameKeys(known.keys, keys)) {
      const block = known.bytes;
      this.reserve(block.length);
      const bytes = this.bytes;
      const start = this.position;
      // Key lists are short: a loop beats TypedArray#set's call overhead.
      for (let index = 0; index < block.length; index++) bytes[start + index] = block[index]!;
      this.position += block.length;
      return;
    }
    const start = this.position;
    for (const key of keys) this.string(key);
    if (known !== undefined || this.keyBlocks.size < MAX_KEY_BLOCKS) {
      this.keyBlocks.set(first, { keys, bytes: this.bytes.slice(start, this.position) });
    }
  }
}

function sameKeys(known: readonly string[], keys: readonly string[]): boolean {
  if (known.length !== keys.length) return false;
  // Property keys are internalised strings: comparing them is comparing pointers.
  for (let index = 0; index < keys.length; index++) if (known[index] !== keys[index]) return false;
  return true;
}

export const scratch = new Scratch();
