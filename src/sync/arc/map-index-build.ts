/**
 * Builds the shared hash index of a Map (layout in map-index-layout.ts), once, on the thread
 * that makes the Arc. Each value goes through the package's value codec on its own.
 */
import { TextEncoder } from 'node:util';
import { InvalidArgumentError, NotCloneableError } from '../../errors.js';
import { encodeValue, type BufferTable } from '../value/codec.js';
import { Encoder } from '../value/encoder.js';
import { ByteWriter } from '../value/writer.js';
import {
  CAPACITY, COUNT, ENTRY_WORDS, HEADER_WORDS, HEAP_AT, KEY_KIND, KEY_LENGTH, KEY_OFFSET, KIND_NUMBER, KIND_STRING,
  LONE_SURROGATE, MAGIC, SLOT_WORDS, VALUE_LENGTH, VALUE_OFFSET, capacityFor, hashKey,
} from './map-index-layout.js';

/** What an index refers to: its own buffer, and the SharedArrayBuffers its values hold. */
export interface BuiltIndex {
  readonly buffer: SharedArrayBuffer;
  /** Buffers referred to by values, by codec id (they travel with every descriptor). */
  readonly buffers: readonly SharedArrayBuffer[];
}

/** Offsets are Uint32 words: a heap past 4 GiB cannot be addressed (nor allocated by Node). */
const MAX_HEAP = 2 ** 32 - 1;

/** Whether `map` can be indexed: every key a number or a string UTF-8 can carry. */
export function isIndexable(map: ReadonlyMap<unknown, unknown>): map is ReadonlyMap<string | number, unknown> {
  for (const key of map.keys()) {
    if (typeof key === 'number') continue;
    if (typeof key !== 'string' || LONE_SURROGATE.test(key)) return false;
  }
  return true;
}

export function buildIndex(map: ReadonlyMap<string | number, unknown>, where: string): BuiltIndex {
  const count = map.size;
  const entries = new Uint32Array(count * ENTRY_WORDS);
  const hashes = new Uint32Array(count);
  const table = new CollectingTable(where);
  const heap = new ByteWriter(1024);
  const utf8 = new TextEncoder();
  let entry = 0;
  for (const [key, value] of map) {
    const at = entry * ENTRY_WORDS;
    hashes[entry] = hashKey(key);
    entries[at + KEY_OFFSET] = heap.length;
    if (typeof key === 'string') {
      writeUtf8(heap, key, utf8);
      entries[at + KEY_KIND] = KIND_STRING;
    } else {
      heap.f64(key);
      entries[at + KEY_KIND] = KIND_NUMBER;
    }
    entries[at + KEY_LENGTH] = heap.length - entries[at + KEY_OFFSET]!;
    const valueAt = heap.length;
    encodeInto(heap, key, value, table, where);
    entries[at + VALUE_OFFSET] = valueAt;
    entries[at + VALUE_LENGTH] = heap.length - valueAt;
    if (heap.length > MAX_HEAP) throw new InvalidArgumentError(`${where}: a Map needing over 4 GiB of shared memory cannot be shared through Arc`);
    entry++;
  }

  const capacity = capacityFor(count);
  const words = HEADER_WORDS + capacity * SLOT_WORDS + count * ENTRY_WORDS;
  const buffer = new SharedArrayBuffer(words * 4 + heap.length);
  const header = new Uint32Array(buffer, 0, words);
  header[COUNT] = count;
  header[CAPACITY] = capacity;
  header[HEAP_AT] = words * 4;
  const mask = capacity - 1;
  for (let index = 0; index < count; index++) {
    const hash = hashes[index]!;
    let slot = hash & mask;
    // Keys of a Map are distinct: the first free slot is this entry's.
    while (header[HEADER_WORDS + slot * SLOT_WORDS + 1] !== 0) slot = (slot + 1) & mask;
    header[HEADER_WORDS + slot * SLOT_WORDS] = hash;
    header[HEADER_WORDS + slot * SLOT_WORDS + 1] = index + 1;
  }
  header.set(entries, HEADER_WORDS + capacity * SLOT_WORDS);
  new Uint8Array(buffer, words * 4).set(heap.bytes.subarray(0, heap.length));
  // Written last: a reader that sees MAGIC sees a finished index (the Arc is not shared before
  // its constructor returns anyway).
  header[0] = MAGIC;
  return { buffer, buffers: table.buffers };
}

/** Writes `key` as UTF-8; ASCII (the common key) byte by byte, without a call into C++. */
function writeUtf8(heap: ByteWriter, key: string, utf8: TextEncoder): void {
  // Room for the worst case (3 bytes per code unit), then keep only what was written.
  const start = heap.reserve(key.length * 3);
  const bytes = heap.bytes;
  for (let index = 0; index < key.length; index++) {
    const code = key.charCodeAt(index);
    if (code >= 0x80) {
      heap.length = start + utf8.encodeInto(key, bytes.subarray(start)).written;
      return;
    }
    bytes[start + index] = code;
  }
  heap.length = start + key.length;
}

/**
 * Encodes one entry's value straight into the heap, by the value codec's own encoder (a fresh
 * one per value: each value decodes alone, so back-references must not cross entries). The
 * path naming the entry is built only for the error.
 */
function encodeInto(heap: ByteWriter, key: string | number, value: unknown, table: BufferTable, where: string): void {
  try {
    new Encoder(heap, table, where).value(value, '');
  } catch (error) {
    if (!(error instanceof NotCloneableError)) throw error;
    // Again, with the path: throws the same error, naming the key (the heap is dropped anyway).
    encodeValue(value, table, where, `.get(${JSON.stringify(key)})`);
    throw error;
  }
}

/** Collects the SharedArrayBuffers the values hold; all are known before anyone reads. */
class CollectingTable implements BufferTable {
  readonly buffers: SharedArrayBuffer[] = [];
  private readonly ids = new Map<SharedArrayBuffer, number>();

  constructor(private readonly where: string) {}

  idOf(buffer: SharedArrayBuffer): number {
    let id = this.ids.get(buffer);
    if (id === undefined) {
      id = this.buffers.push(buffer) - 1;
      this.ids.set(buffer, id);
    }
    return id;
  }

  bufferAt(id: number): SharedArrayBuffer {
    const buffer = this.buffers[id];
    if (buffer === undefined) throw new InvalidArgumentError(`${this.where}: no SharedArrayBuffer ${id} (a bug in fearless)`);
    return buffer;
  }
}
