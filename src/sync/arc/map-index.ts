/**
 * One thread's reader of a Map held in shared memory as a hash index (layout in
 * map-index-layout.ts, built by map-index-build.ts). Every thread reads the same bytes: a
 * lookup hashes the key, probes the slots, compares the key bytes in place and decodes only the
 * value it found. The index is written once, before it is shared, and never changes, so reads
 * need no lock.
 */
import { Buffer } from '#platform';
import { InvalidArgumentError } from '../../errors.js';
import { decode, type DecodeSource, type ReadViews } from '../../codec/index.js';
import {
  CAPACITY, COUNT, ENTRY_WORDS, HEADER_WORDS, HEAP_AT, KEY_KIND, KEY_LENGTH, KEY_OFFSET, KIND_STRING, MAGIC,
  SLOT_WORDS, VALUE_OFFSET, hashKey, sameUtf8,
} from './map-index-layout.js';

export class MapIndex implements DecodeSource {
  readonly size: number;
  private readonly words: Uint32Array;
  private readonly bytes: Uint8Array;
  private readonly data: DataView;
  /** Node's UTF-8 decoder, over the same shared memory (no copy). */
  private readonly text: Buffer;
  private readonly views: ReadViews;
  private readonly mask: number;
  private readonly entriesAt: number;
  private readonly heapAt: number;

  constructor(
    readonly buffer: SharedArrayBuffer,
    /** The SharedArrayBuffers the values hold, by codec id. */
    readonly buffers: readonly SharedArrayBuffer[],
    private readonly where: string,
  ) {
    const header = new Uint32Array(buffer, 0, HEADER_WORDS);
    if (header[0] !== MAGIC) throw new InvalidArgumentError(`${where}: the shared buffer does not hold a Map index (two versions of fearless in one process?)`);
    this.size = header[COUNT]!;
    const capacity = header[CAPACITY]!;
    this.heapAt = header[HEAP_AT]!;
    this.words = new Uint32Array(buffer, 0, this.heapAt / 4);
    this.bytes = new Uint8Array(buffer);
    this.data = new DataView(buffer);
    this.text = Buffer.from(buffer);
    this.views = { bytes: this.bytes, view: this.data, text: this.text };
    this.mask = capacity - 1;
    this.entriesAt = HEADER_WORDS + capacity * SLOT_WORDS;
  }

  /** The entry (insertion position) holding `key`, or -1. */
  find(key: unknown): number {
    if (typeof key !== 'string' && typeof key !== 'number') return -1;
    const words = this.words;
    const hash = hashKey(key);
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = HEADER_WORDS + slot * SLOT_WORDS;
      const stored = words[at + 1]!;
      // Slots are never all full (at most half), so a probe always reaches an empty one.
      if (stored === 0) return -1;
      if (words[at] === hash && this.holds(stored - 1, key)) return stored - 1;
    }
  }

  keyAt(entry: number): string | number {
    const at = this.entriesAt + entry * ENTRY_WORDS;
    const words = this.words;
    const offset = this.heapAt + words[at + KEY_OFFSET]!;
    if (words[at + KEY_KIND] === KIND_STRING) return this.text.toString('utf8', offset, offset + words[at + KEY_LENGTH]!);
    return this.data.getFloat64(offset, true);
  }

  /** A fresh decode of entry `entry`'s value (the caller caches and freezes). */
  valueAt(entry: number): unknown {
    return decode(this.views, this.heapAt + this.words[this.entriesAt + entry * ENTRY_WORDS + VALUE_OFFSET]!, this);
  }

  transferredAt(): ArrayBuffer {
    throw new InvalidArgumentError(`${this.where}: a moved buffer in an Arc's value (a bug in fearless)`);
  }

  sharedAt(id: number): SharedArrayBuffer {
    const buffer = this.buffers[id];
    if (buffer === undefined) throw new InvalidArgumentError(`${this.where}: a value refers to SharedArrayBuffer ${id}, which its descriptor lacked (a bug in fearless)`);
    return buffer;
  }

  private holds(entry: number, key: string | number): boolean {
    const at = this.entriesAt + entry * ENTRY_WORDS;
    const words = this.words;
    const offset = this.heapAt + words[at + KEY_OFFSET]!;
    if (typeof key === 'string') return words[at + KEY_KIND] === KIND_STRING && sameUtf8(key, this.bytes, offset, words[at + KEY_LENGTH]!);
    if (words[at + KEY_KIND] === KIND_STRING) return false;
    const stored = this.data.getFloat64(offset, true);
    // SameValueZero, as Map compares keys: NaN is NaN, -0 is +0.
    return stored === key || (stored !== stored && key !== key);
  }
}
