/**
 * A growable byte buffer for the value codec. One scratch buffer per thread is reused across
 * encodes (encoding is synchronous and never re-entrant), so storing a value allocates nothing
 * beyond what the value itself needs once the scratch has grown to fit.
 */
export class ByteWriter {
  bytes: Uint8Array;
  view: DataView;
  length = 0;

  constructor(capacity = 256) {
    this.bytes = new Uint8Array(capacity);
    this.view = new DataView(this.bytes.buffer);
  }

  reset(): void {
    this.length = 0;
  }

  /** Makes room for `count` more bytes and returns the offset to write them at. */
  reserve(count: number): number {
    const offset = this.length;
    const needed = offset + count;
    if (needed > this.bytes.length) {
      let capacity = this.bytes.length * 2;
      while (capacity < needed) capacity *= 2;
      const grown = new Uint8Array(capacity);
      grown.set(this.bytes.subarray(0, offset));
      this.bytes = grown;
      this.view = new DataView(grown.buffer);
    }
    this.length = needed;
    return offset;
  }

  u8(value: number): void {
    const offset = this.reserve(1);
    this.bytes[offset] = value;
  }

  u32(value: number): void {
    // Reserve first: growing replaces this.view.
    const offset = this.reserve(4);
    this.view.setUint32(offset, value, true);
  }

  i32(value: number): void {
    // Reserve first: growing replaces this.view.
    const offset = this.reserve(4);
    this.view.setInt32(offset, value, true);
  }

  f64(value: number): void {
    // Reserve first: growing replaces this.view.
    const offset = this.reserve(8);
    this.view.setFloat64(offset, value, true);
  }

  /** UTF-16 code units as they are: no transcoding, any string round-trips (lone surrogates too). */
  string(value: string): void {
    const count = value.length;
    this.u32(count);
    const offset = this.reserve(count * 2);
    const view = this.view;
    for (let index = 0; index < count; index++) view.setUint16(offset + index * 2, value.charCodeAt(index), true);
  }

  raw(bytes: Uint8Array): void {
    this.u32(bytes.length);
    const offset = this.reserve(bytes.length);
    this.bytes.set(bytes, offset);
  }
}

/** Reads what {@link ByteWriter} wrote, straight from shared memory. */
export class ByteReader {
  offset: number;

  constructor(readonly view: DataView, offset = 0) {
    this.offset = offset;
  }

  u8(): number {
    return this.view.getUint8(this.offset++);
  }

  u32(): number {
    const value = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return value;
  }

  i32(): number {
    const value = this.view.getInt32(this.offset, true);
    this.offset += 4;
    return value;
  }

  f64(): number {
    const value = this.view.getFloat64(this.offset, true);
    this.offset += 8;
    return value;
  }

  string(): string {
    const count = this.u32();
    const view = this.view;
    const start = this.offset;
    this.offset += count * 2;
    // Chunked so that String.fromCharCode never gets more arguments than the engine allows.
    let result = '';
    const chunk: number[] = [];
    for (let index = 0; index < count; index++) {
      chunk.push(view.getUint16(start + index * 2, true));
      if (chunk.length === 4096) {
        result += String.fromCharCode(...chunk);
        chunk.length = 0;
      }
    }
    return chunk.length === 0 ? result : result + String.fromCharCode(...chunk);
  }

  /** A private copy: v8.deserialize must not read memory that another thread may rewrite. */
  raw(): Uint8Array {
    const count = this.u32();
    const copy = new Uint8Array(count);
    copy.set(new Uint8Array(this.view.buffer, this.view.byteOffset + this.offset, count));
    this.offset += count;
    return copy;
  }
}
