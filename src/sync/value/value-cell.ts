/**
 * A value in shared memory: a growable SharedArrayBuffer holding a small header and the value's
 * bytes, readable and writable from any thread that has the buffer. It does no locking itself:
 * a Mutex/RwLock reads and writes it only while holding its lock, an Arc writes it once before
 * anyone else can see it.
 *
 * Layout, from byte `base` (bytes before it belong to the owner: a Mutex keeps its lock word
 * there, so that the lock word and a number value share one cache line and a contended
 * hand-off moves one line between cores, not two). Int32 header, then the payload:
 *   [LENGTH]        bytes of the encoded payload
 *   [BUFFER_COUNT]  SharedArrayBuffers registered in this value's buffer table (ids 0..count-1)
 *   [KIND]          NUMBER: the value is the float64 at byte NUMBER_AT (the common
 *                   `Mutex<number>` fast path, in the same cache line as KIND);
 *                   ENCODED: the payload holds the codec's bytes
 *   [VERSION]       bumped by every encoded write: a thread may reuse its last decode of a
 *                   value that cannot change without a write (string, bigint, a typed array
 *                   over shared memory...) while VERSION is unchanged
 *   [TICKETS + id]  hub ticket under which buffer `id` was parked, for threads that lack it
 */
import { InvalidArgumentError } from '../../errors.js';
import { assumeGrowable, growableSharedBuffer } from '../platform.js';
import { NOT_PARKED, claimBuffer, parkBuffer } from './buffer-park.js';
import { decode, encode, type DecodeSource, type EncodeTarget, type ReadViews } from '../../codec/index.js';
import { sharedStateHandleReason } from '../../codec/refuse.js';
import type { HandleDescriptor } from '../../wire/handle.js';
import { Buffer } from '#platform';

const LENGTH = 0;
const BUFFER_COUNT = 1;
const KIND = 2;
const VERSION = 3;
const NUMBER_AT = 16;
const TICKETS = 6;
/** Distinct SharedArrayBuffers one value may refer to over its lifetime (ids are never reused). */
export const MAX_BUFFERS = 28;
/** Payload offset from `base`. */
const PAYLOAD = (TICKETS + MAX_BUFFERS) * 4;
const KIND_ENCODED = 0;
const KIND_NUMBER = 1;
/** Reserved address space, not memory: a growable buffer commits only what it grows to. */
const MAX_BYTES = 256 * 1024 * 1024;

export class ValueCell implements EncodeTarget, DecodeSource {
  private readonly header: Int32Array;
  /** The number fast path's slot. Fixed-length views only: V8 20 runs length-tracking views
   *  over a growable buffer through a slow path, ~8× slower. */
  private readonly number: Float64Array;
  /** This thread's objects for the buffer table: index = id, hole = not seen here yet. */
  private readonly known: (SharedArrayBuffer | undefined)[];
  private readonly payload: number;
  /** This thread's last decode, reusable while the header's VERSION is `cachedVersion`. */
  private cached: unknown;
  private cachedVersion = -1;
  private cachedViews: ReadViews | undefined;
  /** Whether other threads may have this cell: only then must new buffers be parked. */
  private shared: boolean;

  /** `base`: where the cell starts in `buffer` (a multiple of 8). */
  constructor(
    readonly buffer: SharedArrayBuffer,
    known: (SharedArrayBuffer | undefined)[],
    private readonly where: string,
    base = 0,
    shared = true,
  ) {
    this.shared = shared;
    this.header = new Int32Array(buffer, base, TICKETS + MAX_BUFFERS);
    this.number = new Float64Array(buffer, base + NUMBER_AT, 1);
    this.payload = base + PAYLOAD;
    this.known = known;
  }

  /** A new cell holding `value`, after `base` bytes reserved for the owner. */
  static create(value: unknown, where: string, base = 0): ValueCell {
    const cell = new ValueCell(growableSharedBuffer(base + PAYLOAD, MAX_BYTES), [], where, base, false);
    cell.write(value);
    return cell;
  }

  /** The number fast path: the value if it is a number, else undefined (then use read()). */
  readNumber(): number | undefined {
    return this.header[KIND] === KIND_NUMBER ? this.number[0] : undefined;
  }

  writeNumber(value: number): void {
    this.number[0] = value;
    // Skip the store when unchanged: a store would claim the cache line from other cores.
    if (this.header[KIND] !== KIND_NUMBER) this.header[KIND] = KIND_NUMBER;
  }

  read(): unknown {
    const header = this.header;
    if (header[KIND] === KIND_NUMBER) return this.number[0];
    const version = header[VERSION]!;
    if (version === this.cachedVersion) return this.cached;
    const value = decode(this.views(), this.payload, this);
    if (!changesInPlace(value)) {
      this.cached = value;
      this.cachedVersion = version;
    }
    return value;
  }

  /** Replaces the value. On a NotCloneableError the old value is left intact. */
  write(value: unknown): void {
    if (typeof value === 'number') {
      this.writeNumber(value);
      return;
    }
    const encoded = encode(value, this, this.where);
    const length = encoded.length;
    this.reserve(this.payload + length);
    // Copied out before anything else runs: the encoder's buffer is reused by the next encode.
    this.views().bytes.set(encoded, this.payload);
    this.header[LENGTH] = length;
    this.header[KIND] = KIND_ENCODED;
    this.header[VERSION] = (this.header[VERSION]! + 1) & 0x3fffffff;
    this.cachedVersion = -1;
  }

  private reserve(bytes: number): void {
    if (bytes <= this.buffer.byteLength) return;
    if (bytes > MAX_BYTES) {
      throw new InvalidArgumentError(`${this.where} needs ${bytes} bytes of shared memory, more than the ${MAX_BYTES} a lock can hold`);
    }
    // Grow by half again so a value growing step by step does not grow the buffer every time.
    assumeGrowable(this.buffer).grow(Math.min(MAX_BYTES, Math.max(bytes, Math.ceil(this.buffer.byteLength * 1.5))));
  }

  /** Views over the buffer's current length (which another thread may have grown), kept while it holds. */
  private views(): ReadViews {
    const length = this.buffer.byteLength;
    let views = this.cachedViews;
    if (views === undefined || views.bytes.length !== length) {
      views = { bytes: new Uint8Array(this.buffer, 0, length), view: new DataView(this.buffer, 0, length), text: Buffer.from(this.buffer, 0, length) };
      this.cachedViews = views;
    }
    return views;
  }

  sharedId(buffer: SharedArrayBuffer): number {
    return this.idOf(buffer);
  }

  transferIndex(): number {
    // A lock's value is copied in: its ArrayBuffers are copied, not moved.
    return -1;
  }

  acceptHandle(_handle: unknown, descriptor: HandleDescriptor): string | undefined {
    return sharedStateHandleReason(descriptor);
  }

  sharedAt(id: number): SharedArrayBuffer {
    return this.bufferAt(id);
  }

  transferredAt(): ArrayBuffer {
    throw new InvalidArgumentError(`${this.where}: a moved buffer in a lock's value (a bug in fearless)`);
  }

  idOf(buffer: SharedArrayBuffer): number {
    const found = this.known.indexOf(buffer);
    if (found >= 0) return found;
    const id = this.header[BUFFER_COUNT]!;
    if (id >= MAX_BUFFERS) {
      throw new InvalidArgumentError(
        `${this.where} has referred to ${MAX_BUFFERS} different SharedArrayBuffers over its lifetime, the most one value can (reuse buffers, or store fresh data in a new lock)`,
      );
    }
    this.known[id] = buffer;
    // Before the cell is first shared, its buffers travel in the descriptors; only a buffer
    // stored after that must be parked for the threads that already have the cell.
    this.header[TICKETS + id] = this.shared ? parkBuffer(buffer) : NOT_PARKED;
    this.header[BUFFER_COUNT] = id + 1;
    return id;
  }

  bufferAt(id: number): SharedArrayBuffer {
    const known = this.known[id];
    if (known !== undefined) return known;
    const claimed = claimBuffer(this.header[TICKETS + id]!, this.where);
    this.known[id] = claimed;
    return claimed;
  }

  /** The buffers this thread knows, to travel in a handle's descriptor, and their ids. From
   *  now on the cell counts as shared. */
  knownBuffers(): { readonly ids: string; readonly buffers: SharedArrayBuffer[] } {
    this.shared = true;
    const ids: number[] = [];
    const buffers: SharedArrayBuffer[] = [];
    this.known.forEach((buffer, id) => {
      if (buffer !== undefined) {
        ids.push(id);
        buffers.push(buffer);
      }
    });
    return { ids: ids.join(','), buffers };
  }

  /** The inverse of {@link knownBuffers}, on the receiving thread. */
  static knownFrom(ids: string, buffers: readonly SharedArrayBuffer[]): (SharedArrayBuffer | undefined)[] {
    const known: (SharedArrayBuffer | undefined)[] = [];
    if (ids === '') return known;
    ids.split(',').forEach((id, index) => {
      known[Number(id)] = buffers[index];
    });
    return known;
  }
}

/**
 * Whether a decoded value could be changed locally without changing shared memory: an object
 * (other than a SharedArrayBuffer or a view over one, whose contents ARE shared memory). Such
 * a value is written back when its guard is released, and never reused from a cache.
 */
export function changesInPlace(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (value instanceof SharedArrayBuffer) return false;
  return !(ArrayBuffer.isView(value) && value.buffer instanceof SharedArrayBuffer);
}
