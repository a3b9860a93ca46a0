/**
 * Builds the shared hash index of a Map (layout in map-index-layout.ts), once, on the thread
 * that makes the Arc. Each value goes through the package's value codec on its own.
 */
import { TextEncoder, assertIsolated } from '#platform';
import { encode, type EncodeTarget } from '../../codec/index.js';
import { sharedStateHandleReason } from '../../codec/refuse.js';
import { ByteWriter } from '../../codec/writer.js';
import { InvalidArgumentError } from '../../errors.js';
import type { HandleDescriptor } from '../../wire/handle.js';
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
  const table = new CollectingTable();
  const heap = new ByteWriter();
  const utf8 = new TextEncoder();
  let entry = 0;
  for (const [key, value] of map) {
    const at = entry * ENTRY_WORDS;
    hashes[entry] = hashKey(key);
    entries[at + KEY_OFFSET] = heap.at;
    if (typeof key === 'string') {
      writeUtf8(heap, key, utf8);
      entries[at + KEY_KIND] = KIND_STRING;
    } else {
      heap.f64(key);
      entries[at + KEY_KIND] = KIND_NUMBER;
    }
    entries[at + KEY_LENGTH] = heap.at - entries[at + KEY_OFFSET]!;
    const valueAt = heap.at;
    encodeInto(heap, key, value, table, where);
    entries[at + VALUE_OFFSET] = valueAt;
    entries[at + VALUE_LENGTH] = heap.at - valueAt;
    if (heap.at > MAX_HEAP) throw new InvalidArgumentError(`${where}: a Map needing over 4 GiB of shared memory cannot be shared through Arc`);
    entry++;
  }

  const capacity = capacityFor(count);
  const words = HEADER_WORDS + capacity * SLOT_WORDS + count * ENTRY_WORDS;
  assertIsolated();
  const buffer = new SharedArrayBuffer(words * 4 + heap.at);
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
  new Uint8Array(buffer, words * 4).set(heap.bytes.subarray(0, heap.at));
  // Written last: a reader that sees MAGIC sees a finished index (the Arc is not shared before
  // its constructor returns anyway).
  header[0] = MAGIC;
  return { buffer, buffers: table.buffers };
}

/** Writes `key` as UTF-8; ASCII (the common key) byte by byte, without a call into C++. */
function writeUtf8(heap: ByteWriter, key: string, utf8: TextEncoder): void {
  // Room for the worst case (3 bytes per code unit), then keep only what was written.
  heap.reserve(key.length * 3);
  const start = heap.at;
  const bytes = heap.bytes;
  for (let index = 0; index < key.length; index++) {
    const code = key.charCodeAt(index);
    if (code >= 0x80) {
      heap.at = start + utf8.encodeInto(key, bytes.subarray(start)).written;
      return;
    }
    bytes[start + index] = code;
  }
  heap.at = start + key.length;
}

/**
 * Encodes one entry's value on its own (each value decodes alone) and appends it to the heap.
 * A refusal names the entry: `.get("key")`.
 */
function encodeInto(heap: ByteWriter, key: string | number, value: unknown, table: EncodeTarget, where: string): void {
  const bytes = encode(value, table, where, `.get(${JSON.stringify(key)})`);
  heap.reserve(bytes.length);
  heap.bytes.set(bytes, heap.at);
  heap.at += bytes.length;
}

/** Collects the SharedArrayBuffers the values hold; all are known before anyone reads. */
class CollectingTable implements EncodeTarget {
  readonly buffers: SharedArrayBuffer[] = [];
  private readonly ids = new Map<SharedArrayBuffer, number>();

  transferIndex(): number {
    return -1;
  }

  acceptHandle(_handle: unknown, descriptor: HandleDescriptor): string | undefined {
    return sharedStateHandleReason(descriptor);
  }

  sharedId(buffer: SharedArrayBuffer): number {
    let id = this.ids.get(buffer);
    if (id === undefined) {
      id = this.buffers.push(buffer) - 1;
      this.ids.set(buffer, id);
    }
    return id;
  }
}
