/**
 * The producer side of the ring. Records are 8-byte aligned: `[type, length, payload...]`.
 *
 * Layout invariants (all changed under the producer lock):
 * - not wrapped (WRAP_PENDING = 0): live data is [HEAD, TAIL); TAIL never comes closer than
 *   WRAP_RESERVE to the end, so a WRAP record always fits there.
 * - wrapped (WRAP_PENDING = 1): live data is [HEAD, WRAP_AT) then [0, TAIL), with TAIL < HEAD.
 * - TAIL never catches up with HEAD from behind (a gap of at least 8 bytes stays), so
 *   HEAD = TAIL always means empty.
 *
 * Growing never moves a byte the consumer may be reading: when not wrapped the ring just gets
 * longer; when wrapped, [0, TAIL) is copied to WRAP_AT (past everything the consumer has left
 * to read before it), and the WRAP record there is replaced last, with an atomic store, by the
 * first copied record's type. A consumer that reaches WRAP_AT reads that word atomically and,
 * when it still sees WRAP, takes the lock and looks again (ring-reader.ts), so it follows
 * whichever layout is current.
 *
 * Words only ever touched under the lock (TAIL, WRAP_*) are read and written plainly: the
 * lock's atomic acquire and release order them. SENT is stored atomically because the
 * consumer reads it without the lock; HEAD is loaded atomically for the same reason.
 */
import { CapacityError } from '../errors.js';
import type { GrowableSharedArrayBuffer } from './es2024.js';
import { lock, unlock } from './ring-lock.js';
import {
  BOUND,
  CONSUMED,
  CONSUMER_WAITING,
  COUNT_MASK,
  DISCONNECTED,
  HEAD,
  HEADER_BYTES,
  RECEIVER,
  RECORD_BYTES,
  RECORD_INT32,
  RECORD_NUMBER,
  RECORD_WRAP,
  SENDERS,
  SENT,
  TAIL,
  WRAP_AT,
  WRAP_EPOCH,
  WRAP_PENDING,
  WRAP_RESERVE,
  align8,
  countBetween,
  isInt32Record,
} from './layout.js';
import { RingViews } from './ring-views.js';

export const PUBLISHED = 0;
export const FULL = 1;
export const RECEIVER_GONE = 2;
export type PublishResult = typeof PUBLISHED | typeof FULL | typeof RECEIVER_GONE;

export class RingWriter extends RingViews {
  /** Messages the queue may hold before `publish` reports FULL (rendezvous holds one). */
  readonly capacity: number;
  /** SENT after this thread's last successful publish: a rendezvous sender waits for it. */
  lastSequence = 0;
  /** SENT's count before this writer's last publish. */
  private previousSequence = -1;
  /**
   * HEAD as last read, valid while WRAP_EPOCH is `headEpoch`. Reading HEAD on every message
   * would pull the consumer's cache line over each time; a stale HEAD is only ever behind the
   * real one within an epoch, so it is safe to decide with and re-read only when it says "full".
   */
  private cachedHead = 0;
  private headEpoch = -1;
  /**
   * The solo-sender fast path (`publishNumber`, `publishBytes`; decided in `soloOffset`). True only while no sender of this channel can
   * exist outside this thread: set when an atomic load of SENDERS saw 1 (the one counted is this
   * writer's own sender, since only a live sender calls here), cleared by `clone()`
   * (sender-handle.ts `cloneMemory`) — the only way a second sender can come to exist while
   * this is the only one. Invariants:
   * - no other producer writes the ring meanwhile: SENDERS counts every sender, in flight ones
   *   too, and only a clone of a live sender raises it;
   * - every write of a former producer is visible: it unlocked before its sender was dropped
   *   (an atomic decrement of SENDERS), and the atomic load that saw 1 synchronizes with that;
   * - the consumer takes LOCK only at a WRAP record (ring-reader.ts `passWrap`), and only while
   *   WRAP_PENDING is 1; the fast path runs only when this producer sees WRAP_PENDING 0, which
   *   the consumer stores only after the wrap is passed, and then appends past every byte the
   *   consumer still reads. Wrapping, growing and bounded channels take the lock as before.
   * Why: the lock is a compare-exchange and an exchange, each a builtin call on Node 20
   * (~7 ns): 15 of the ~50 ns a number send cost.
   */
  solo = false;
  /** Locked publishes so far: SENDERS is looked at on every 64th, not on each. */
  private lockedPublishes = 0;

  constructor(
    readonly control: Int32Array,
    data: GrowableSharedArrayBuffer,
    readonly slot: number,
  ) {
    super(data);
    const bound = Atomics.load(control, BOUND);
    this.capacity = bound < 0 ? Number.POSITIVE_INFINITY : Math.max(bound, 1);
  }

  publishNumber(value: number): PublishResult {
    const control = this.control;
    const int32 = isInt32Record(value);
    const size = int32 ? HEADER_BYTES : HEADER_BYTES + 8;
    const solo = this.soloOffset(size);
    if (solo >= 0) {
      // The solo fast path: the locked path below without the lock (see `solo`).
      this.writeNumber(solo, value, int32);
      this.commit(solo + size);
      this.wakeConsumer();
      return PUBLISHED;
    }
    lock(control, this.slot);
    try {
      const status = this.admit();
      if (status !== PUBLISHED) return status;
      const at = this.reserve(size);
      this.writeNumber(at, value, int32);
      this.commit(at + size);
    } finally {
      unlock(control);
    }
    this.wakeConsumer();
    return PUBLISHED;
  }

  /**
   * Where a record of `size` bytes may go without the lock (see `solo`): TAIL, while this
   * writer is solo, the receiver is there, the ring is not wrapped and the record leaves room
   * for a WRAP record before the end; -1 otherwise, and then the caller takes the lock. On
   * every 64th locked publish of an unbounded channel it looks whether it is solo now.
   */
  private soloOffset(size: number): number {
    const control = this.control;
    if (this.solo) {
      if (control[RECEIVER] !== 0 && control[WRAP_PENDING] === 0) {
        const at = control[TAIL]!;
        if (at + size + WRAP_RESERVE <= this.length) return at;
      }
    } else if ((this.lockedPublishes++ & 63) === 0 && this.capacity === Number.POSITIVE_INFINITY) {
      this.solo = Atomics.load(control, SENDERS) === 1;
    }
    return -1;
  }

  /** A number record at `at`: an int32 in the length word, or a float64 payload. Type word last. */
  private writeNumber(at: number, value: number, int32: boolean): void {
    const words = this.words;
    if (int32) {
      words[(at >> 2) + 1] = value;
      words[at >> 2] = RECORD_INT32;
    } else {
      words[(at >> 2) + 1] = 8;
      this.floats[(at >> 3) + 1] = value;
      words[at >> 2] = RECORD_NUMBER;
    }
  }

  /**
   * Publishes a BYTES record holding `source[0, length)` (`words`: the same memory as 32-bit
   * words). Unbounded channels with one sender take the solo path, as `publishNumber` does (see
   * `solo`): it does not depend on what the record holds.
   */
  publishBytes(source: Uint8Array, words: Int32Array, length: number): PublishResult {
    const control = this.control;
    const size = HEADER_BYTES + align8(length);
    const solo = this.soloOffset(size);
    if (solo >= 0) {
      this.writeBytes(solo, source, words, length);
      this.commit(solo + size);
      this.wakeConsumer();
      return PUBLISHED;
    }
    lock(control, this.slot);
    try {
      const status = this.admit();
      if (status !== PUBLISHED) return status;
      const at = this.reserve(size);
      this.writeBytes(at, source, words, length);
      this.commit(at + size);
    } finally {
      unlock(control);
    }
    this.wakeConsumer();
    return PUBLISHED;
  }

  /** A BYTES record at `at` (8-byte aligned): short payloads a word at a time, type word last. */
  private writeBytes(at: number, source: Uint8Array, words: Int32Array, length: number): void {
    const target = this.words;
    target[(at >> 2) + 1] = length;
    if (length <= 256) {
      // Whole words: the record is `align8(length)` long, and `source` a multiple of 4.
      const first = (at + HEADER_BYTES) >> 2;
      const count = (length + 3) >> 2;
      for (let index = 0; index < count; index++) target[first + index] = words[index]!;
    } else {
      this.bytes.set(source.subarray(0, length), at + HEADER_BYTES);
    }
    target[at >> 2] = RECORD_BYTES;
  }

  /**
   * Publishes a header-only record of `type` with `aux` in the length word (a hub ticket).
   * `admitted` runs under the lock once the ring accepted the record, before anything is
   * reserved or written (a hub message is stashed there: see hub-bridge.ts); if it throws,
   * nothing was published.
   */
  publish(type: number, aux: number, admitted?: () => void): PublishResult {
    const control = this.control;
    lock(control, this.slot);
    try {
      const status = this.admit();
      if (status !== PUBLISHED) return status;
      admitted?.();
      const at = this.reserve(HEADER_BYTES);
      this.words[(at >> 2) + 1] = aux;
      this.words[at >> 2] = type;
      this.commit(at + HEADER_BYTES);
    } finally {
      unlock(control);
    }
    this.wakeConsumer();
    return PUBLISHED;
  }

  /** The receiver is gone (checked again under the lock when publishing). */
  receiverGone(): boolean {
    return this.control[RECEIVER] === 0;
  }

  private admit(): PublishResult {
    const control = this.control;
    // A plain read: one per call (nothing can hoist it), and a receiver dropped on this thread
    // is seen in program order. Atomics.load costs a builtin call on this hot path.
    if (control[RECEIVER] === 0) return RECEIVER_GONE;
    if (this.capacity !== Number.POSITIVE_INFINITY && countBetween(Atomics.load(control, CONSUMED), control[SENT]!) >= this.capacity) {
      return FULL;
    }
    return PUBLISHED;
  }

  private commit(tail: number): void {
    const control = this.control;
    control[TAIL] = tail;
    const sent = control[SENT]!;
    this.previousSequence = sent & COUNT_MASK;
    this.lastSequence = (sent + 1) & COUNT_MASK;
    // Publishes the record: the consumer reads SENT atomically before it reads the bytes.
    Atomics.store(control, SENT, this.lastSequence | (sent & DISCONNECTED));
  }

  private wakeConsumer(): void {
    // A sleeping consumer announces the count it sleeps on, plus one (waiting.ts); the producer
    // whose publish moved SENT off that count is the one that wakes it, so a burst costs one
    // notify. With sequentially consistent atomics either we see the announcement or its wait
    // sees our SENT and does not sleep.
    // Receivers that were cloned count their sleepers negatively there instead
    // (consumer-claim.ts): each of them may be the one to take this message, so wake them all —
    // when the queue was empty before this message. A shared receiver sleeps only at a count
    // where the queue was empty, so the first publish after it fell asleep finds the queue
    // empty before it, unless another receiver already took that message — and that receiver,
    // awake, is counted on to come back (its next empty-queue publish wakes the sleepers). So a
    // burst costs one notify, not one per message while the woken get going.
    const waiting = Atomics.load(this.control, CONSUMER_WAITING);
    if (waiting === this.previousSequence + 1 || (waiting < 0 && Atomics.load(this.control, CONSUMED) === this.previousSequence)) {
      // All, not one: a receiver may have several recv() calls pending at once on its thread.
      Atomics.notify(this.control, SENT);
    }
  }

  /** Finds room for `size` bytes and returns its offset. Lock held. */
  private reserve(size: number): number {
    const control = this.control;
    const tail = control[TAIL]!;
    if (control[WRAP_PENDING] !== 0) {
      // Another producer may have grown the buffer past our views: writes beyond a typed
      // array's length would be silently dropped.
      if (tail + size > this.length) this.refresh();
      if (tail + size + 8 <= this.head(false)) return tail;
      if (tail + size + 8 <= this.head(true)) return tail;
      return this.growWrapped(tail, size);
    }
    if (tail + size + WRAP_RESERVE <= this.length || tail + size + WRAP_RESERVE <= this.refresh()) return tail;
    if (size + 8 <= this.head(true)) {
      this.words[tail >> 2] = RECORD_WRAP;
      control[WRAP_AT] = tail;
      control[WRAP_EPOCH] = (control[WRAP_EPOCH]! + 1) | 0;
      // Atomic: the consumer reads it under the lock too, but also HEAD-side code may look.
      Atomics.store(control, WRAP_PENDING, 1);
      return 0;
    }
    this.grow(tail + size + WRAP_RESERVE);
    return tail;
  }

  /** HEAD, from the cache unless `fresh` or the ring wrapped since it was read. Lock held. */
  private head(fresh: boolean): number {
    const epoch = this.control[WRAP_EPOCH]!;
    if (fresh || epoch !== this.headEpoch) {
      this.cachedHead = Atomics.load(this.control, HEAD);
      this.headEpoch = epoch;
    }
    return this.cachedHead;
  }

  /** Wrapped and full: grow, then move [0, TAIL) to WRAP_AT so the data is contiguous again. */
  private growWrapped(tail: number, size: number): number {
    const control = this.control;
    const wrapAt = control[WRAP_AT]!;
    this.grow(wrapAt + tail + size + WRAP_RESERVE);
    if (tail > 0) {
      this.bytes.copyWithin(wrapAt + 4, 4, tail);
      // Publishes the move: the consumer reads this word atomically at WRAP_AT.
      Atomics.store(this.words, wrapAt >> 2, Atomics.load(this.words, 0));
    }
    Atomics.store(control, WRAP_PENDING, 0);
    return wrapAt + tail;
  }

  private grow(atLeast: number): void {
    const data = this.data;
    if (atLeast <= this.refresh()) return;
    let size = data.byteLength * 2;
    while (size < atLeast) size *= 2;
    size = Math.min(size, data.maxByteLength);
    if (size < atLeast) {
      throw new CapacityError(
        `channel is full: its queue would exceed ${data.maxByteLength} bytes (the receiver is not keeping up; use syncChannel(bound) for backpressure)`,
      );
    }
    data.grow(size);
    this.refresh();
  }
}
