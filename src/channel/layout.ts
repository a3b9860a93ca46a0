/**
 * The shared memory layout of one channel. Two SharedArrayBuffers make up its state:
 *
 * - `control`: a fixed Int32Array of counters and wait words (below). Words written by
 *   producers and words written by the consumer sit on different 64-byte cache lines, so the
 *   two sides do not invalidate each other's line on every message.
 * - `data`: a growable SharedArrayBuffer holding the message ring (see ring-writer.ts and
 *   ring-reader.ts). It grows (never shrinks) when a message does not fit, so an unbounded
 *   channel never drops or blocks; every thread's length-tracking views see the new size.
 */
import { MAX_THREAD_SLOTS } from '../wire/context.js';

// --- producer line (written under the producer lock) ---
/**
 * The producers' lock, an owned futex lock (sync/owned-lock.ts: 0 free, else the holder's
 * `ownerMark`, so a dead holder's lock can be released). Word 1 is unused.
 */
export const LOCK = 0;
/** Byte offset where the next record goes. */
export const TAIL = 2;
/** Byte offset of the WRAP record the consumer has not passed yet (valid when WRAP_PENDING). */
export const WRAP_AT = 3;
/** 1 while the ring is wrapped: live data is [HEAD, WRAP_AT) then [0, TAIL). */
export const WRAP_PENDING = 4;
/** Bumped each time the ring wraps, so a producer knows when its cached HEAD is stale. */
export const WRAP_EPOCH = 5;
/** Producers sleeping on CONSUMED (waiting for room or for a rendezvous to complete). */
export const PRODUCERS_WAITING = 6;

// --- consumer wait line ---
/**
 * Messages published so far, modulo 2^30, with DISCONNECTED set once every sender is gone.
 * The consumer sleeps on this word: it changes on every publish and on the last disconnect.
 */
export const SENT = 16;
/**
 * While the consumer sleeps (or is about to) on SENT: the count it sleeps on plus one; 0 when
 * it does not. The producer whose publish moves SENT off that count notifies (waiting.ts).
 */
export const CONSUMER_WAITING = 17;

// --- consumer line (written by the consumer only) ---
/** Byte offset of the next record to read. */
export const HEAD = 32;
/**
 * Messages consumed so far, modulo 2^30; moved on once more when the receiver goes. Producers
 * waiting for room or for a rendezvous sleep on it.
 */
export const CONSUMED = 33;
/** CONSUMED as it was when the receiver went: a rendezvous sender tells "taken, then dropped" from "dropped". */
export const CONSUMED_AT_DROP = 34;
/**
 * Once the receiver has been cloned: the consumers' claim on the ring (consumer-claim.ts), an
 * owned futex lock like LOCK, held while one receiver reads and takes a record, so each message
 * goes to exactly one of them.
 */
export const CONSUMER_CLAIM = 35;

// --- connection line ---
/** Live senders in every thread, including ones in flight inside a message or a move. */
export const SENDERS = 48;
/** Live receivers (clones included, in flight too): 0 once the last is dropped. */
export const RECEIVER = 49;
/**
 * 0 until the receiver is first cloned, then 1 for good: from then on every receiver reads under
 * CONSUMER_CLAIM and sleeps the shared way (waiting.ts). Written once, by the receiver being
 * cloned, on its own thread, after it published its position.
 */
export const SHARED_CONSUMERS = 50;
/** Capacity of a sync channel in messages (0 = rendezvous), -1 for an unbounded channel. */
export const BOUND = 51;
/** First of MAX_THREAD_SLOTS words: senders held by each thread slot, for onThreadDeath. */
export const SLOT_SENDERS = 64;
/** First of MAX_THREAD_SLOTS words: receivers held by each thread slot, for onThreadDeath. */
export const SLOT_RECEIVERS = SLOT_SENDERS + MAX_THREAD_SLOTS;
/** Int32 words in the control block. */
export const CONTROL_WORDS = SLOT_RECEIVERS + MAX_THREAD_SLOTS;

export const DISCONNECTED = 1 << 30;
/** Message counters wrap at 2^30: `(a - b) & COUNT_MASK` is how far `a` is ahead of `b`. */
export const COUNT_MASK = DISCONNECTED - 1;

/** Messages between `from` and `to` on the wrapping counters. */
export function countBetween(from: number, to: number): number {
  return (to - from) & COUNT_MASK;
}

/** `sequence` has been reached by `counter` (both wrapping; valid within 2^29 of each other). */
export function reached(counter: number, sequence: number): boolean {
  return countBetween(sequence, counter) < 1 << 29;
}

/** Record types (first header word). A record is 8-byte aligned: [type, length, payload...]. */
export const RECORD_BYTES = 1;
/** A number as a float64 payload: 16 bytes. */
export const RECORD_NUMBER = 2;
export const RECORD_TICKET = 3;
/**
 * A number that is an int32 (and not -0), in the length word, no payload: 8 bytes, so a stream
 * of small integers moves half the cache lines between the threads (msgpack's fixint idea).
 */
export const RECORD_INT32 = 4;
export const RECORD_WRAP = 5;

/** Whether `value` travels as a RECORD_INT32: an int32 that reads back the same, -0 excepted. */
export function isInt32Record(value: number): boolean {
  return (value | 0) === value && (value !== 0 || 1 / value > 0);
}

export const HEADER_BYTES = 8;
/** Room always kept free at the end of the ring for a WRAP record. */
export const WRAP_RESERVE = 8;

export const INITIAL_DATA_BYTES = 64 * 1024;
/**
 * The most a channel may hold at once. Only address space is reserved up front; memory is
 * committed as the ring grows.
 */
export const MAX_DATA_BYTES = 1024 * 1024 * 1024;

export function align8(bytes: number): number {
  return (bytes + 7) & ~7;
}
