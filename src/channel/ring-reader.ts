/**
 * The consumer side of the ring (one consumer at a time: the Receiver that owns it).
 *
 * `next()` returns the type of the record at HEAD (after following a WRAP), or EMPTY (none
 * yet) / CLOSED (none ever: every sender is gone and the queue is drained); the caller decodes it at `offset` and calls `advance()`, which hands the bytes
 * back to the producers.
 */
import { decode, type DecodeSource, type ReadViews } from '../codec/index.js';
import type { GrowableSharedArrayBuffer } from './es2024.js';
import { RingViews } from './ring-views.js';
import { lock, unlock } from './ring-lock.js';
import {
  BOUND,
  CONSUMED,
  COUNT_MASK,
  DISCONNECTED,
  HEAD,
  HEADER_BYTES,
  PRODUCERS_WAITING,
  SENT,
  RECORD_INT32,
  RECORD_NUMBER,
  RECORD_TICKET,
  RECORD_WRAP,
  WRAP_PENDING,
  align8,
} from './layout.js';
import { Buffer } from '#platform';

export const EMPTY = 0;
export const CLOSED = -1;

export class RingReader extends RingViews implements ReadViews {
  view: DataView;
  text: Buffer;
  readonly bounded: boolean;
  /** Offset of the current record (valid after `next()` returned a type). */
  offset: number;
  /** Messages consumed, modulo 2^30 (published in CONSUMED). */
  consumed: number;
  /**
   * Messages known to be published and not consumed yet: SENT is read once per batch, not per
   * message, so the producers' cache line is not pulled over for every message.
   */
  private available = 0;
  /** HEAD as last published. */
  private published = -1;

  constructor(
    readonly control: Int32Array,
    data: GrowableSharedArrayBuffer,
    readonly slot: number,
  ) {
    super(data);
    this.view = new DataView(data, 0, this.length);
    this.text = Buffer.from(data, 0, this.length);
    this.bounded = Atomics.load(control, BOUND) >= 0;
    this.offset = Atomics.load(control, HEAD);
    this.consumed = Atomics.load(control, CONSUMED);
  }

  /** Type of the next record, EMPTY when none yet, CLOSED when none will ever come. */
  next(): number {
    if (this.available === 0) {
      const sent = Atomics.load(this.control, SENT);
      this.available = ((sent & COUNT_MASK) - this.consumed) & COUNT_MASK;
      if (this.available === 0) {
        // About to wait (or stop): let producers see all the room there is.
        if (this.offset !== this.published) this.publishPosition();
        return (sent & DISCONNECTED) === 0 ? EMPTY : CLOSED;
      }
    }
    // SENT was read atomically after the producers wrote these records, so their bytes are
    // visible. They may lie where a producer grew the buffer past our views: the buffer's
    // length, read after SENT, covers them.
    if (this.offset + HEADER_BYTES > this.length) this.refreshAll();
    let type = Atomics.load(this.words, this.offset >> 2);
    if (type === RECORD_WRAP) type = this.passWrap();
    const payload = type === RECORD_NUMBER ? 8 : type === RECORD_INT32 || type === RECORD_TICKET ? 0 : this.words[(this.offset >> 2) + 1]!;
    if (this.offset + HEADER_BYTES + payload > this.length) this.refreshAll();
    return type;
  }

  /** Length word of the current record (a hub ticket for ticket records). */
  recordLength(): number {
    return this.words[(this.offset >> 2) + 1]!;
  }

  number(): number {
    return this.floats[(this.offset >> 3) + 1]!;
  }

  /** Decodes the current record's bytes in place (the codec's output, see channel/message.ts). */
  plain(source: DecodeSource): unknown {
    return decode(this, this.offset + HEADER_BYTES, source);
  }

  private refreshAll(): void {
    const length = this.refresh();
    this.view = new DataView(this.data, 0, length);
    this.text = Buffer.from(this.data, 0, length);
  }

  /** Done with the current record: its bytes go back to the producers. */
  advance(type: number): void {
    const size =
      type === RECORD_NUMBER ? HEADER_BYTES + 8 : type === RECORD_INT32 || type === RECORD_TICKET ? HEADER_BYTES : HEADER_BYTES + align8(this.recordLength());
    this.offset += size;
    this.consumed = (this.consumed + 1) & COUNT_MASK;
    this.available--;
    // An unbounded channel's producers need HEAD only to find room, and a HEAD that lags only
    // makes them grow the ring sooner: publish it every 64 messages and whenever the queue runs
    // empty (`next`), not per message. A bounded channel's producers count on CONSUMED: publish
    // each time.
    if (this.bounded || (this.consumed & 63) === 0) this.publishPosition();
  }

  /** Publishes HEAD and CONSUMED (also before this receiver moves to another thread). */
  publishPosition(): void {
    const control = this.control;
    this.published = this.offset;
    // After the records were read: from here producers may write over them.
    Atomics.store(control, HEAD, this.offset);
    Atomics.store(control, CONSUMED, this.consumed);
    // A producer that found the queue full (or a rendezvous sender waiting for its message to
    // be taken) raised PRODUCERS_WAITING and sleeps on CONSUMED: wake them all to re-check.
    if (this.bounded && Atomics.load(control, PRODUCERS_WAITING) > 0) Atomics.notify(control, CONSUMED);
  }

  /**
   * Shared consumers (consumer-claim.ts), under the claim: start from the position the last
   * receiver published, not from this one's own fields.
   */
  resync(): void {
    const control = this.control;
    this.offset = Atomics.load(control, HEAD);
    this.consumed = Atomics.load(control, CONSUMED);
    this.published = this.offset;
    this.available = 0;
  }

  /**
   * At a WRAP record: under the lock, either it is still a WRAP (go to 0) or a producer grew
   * the ring and moved the wrapped data here (read on).
   */
  private passWrap(): number {
    const control = this.control;
    lock(control, this.slot);
    try {
      const type = Atomics.load(this.words, this.offset >> 2);
      if (type !== RECORD_WRAP) return type;
      this.offset = 0;
      Atomics.store(control, HEAD, 0);
      Atomics.store(control, WRAP_PENDING, 0);
      return Atomics.load(this.words, 0);
    } finally {
      unlock(control);
    }
  }
}
