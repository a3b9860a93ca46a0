/**
 * One message on its way in or out of the ring. The ring only carries the codec's output:
 *
 * - a number: an INT32 record (8 bytes: an int32 other than -0) or a NUMBER record (16 bytes), no codec at all;
 * - any other value the codec writes as bytes alone: a BYTES record holding them;
 * - a value that shares SharedArrayBuffers, moves ArrayBuffers or moves handles: its envelope
 *   (bytes + side tables) is parked in the hub (hub-bridge.ts), and a TICKET record keeps its
 *   place in the order.
 */
import { encodeInPlace, EnvelopeTarget, type DecodeSource } from '../codec/index.js';
import { park, unpark, type Parked } from './hub-bridge.js';
import { RECORD_BYTES, RECORD_INT32, RECORD_NUMBER, RECORD_TICKET } from './layout.js';
import type { RingReader } from './ring-reader.js';
import { PUBLISHED, type PublishResult, type RingWriter } from './ring-writer.js';

export interface Outgoing {
  readonly type: number;
  readonly number: number;
  /**
   * For BYTES records: the payload is `bytes[0, length)`, and `words` the same memory as
   * 32-bit words. Points into the encoder's buffer until `keep`t.
   */
  bytes: Uint8Array | undefined;
  words: Int32Array | undefined;
  readonly length: number;
  readonly parked: Parked | undefined;
}

/** Where a refused message is said to be going. */
const WHERE = 'channel send';

/** Encodes `value`; throws NotCloneableError (naming the path) before anything is published. */
export function prepare(value: unknown): Outgoing {
  if (typeof value === 'number') return { type: RECORD_NUMBER, number: value, bytes: undefined, words: undefined, length: 0, parked: undefined };
  const target = new EnvelopeTarget();
  const encoded = encodeInPlace(value, target, WHERE);
  if (target.bytesOnly) return { type: RECORD_BYTES, number: 0, bytes: encoded.bytes, words: encoded.words, length: encoded.at, parked: undefined };
  const envelope = target.envelope(encoded.bytes.subarray(0, encoded.at));
  return { type: RECORD_TICKET, number: 0, bytes: undefined, words: undefined, length: 0, parked: park(envelope, target.transferList, target.moves) };
}

/** Copies the bytes out of the encoder's buffer, for a message that waits (the buffer is reused). */
export function keep(message: Outgoing): void {
  if (message.type !== RECORD_BYTES || message.bytes === undefined) return;
  // Whole words, so that `words` can view the copy.
  const copy = message.bytes.slice(0, (message.length + 3) & ~3);
  message.bytes = copy;
  message.words = new Int32Array(copy.buffer);
}

export function publish(writer: RingWriter, message: Outgoing): PublishResult {
  switch (message.type) {
    case RECORD_NUMBER:
      return writer.publishNumber(message.number);
    case RECORD_TICKET: {
      const parked = message.parked!;
      try {
        // Stashed under the lock once admitted, before the ticket is written (hub-bridge.ts).
        return writer.publish(RECORD_TICKET, parked.ticket, () => parked.stash());
      } catch (error) {
        parked.cancel();
        throw error;
      }
    }
    default:
      return writer.publishBytes(message.bytes!, message.words!, message.length);
  }
}

/** After the last publish attempt: a published message's moves take effect, a refused one's are undone. */
export function settle(message: Outgoing, status: PublishResult): void {
  if (message.parked === undefined) return;
  if (status === PUBLISHED) message.parked.commit();
  else message.parked.cancel();
}

/** A BYTES record has no side tables: a value in it that refers to one is corrupt. */
const noSideTables: DecodeSource = {
  sharedAt: () => {
    throw new Error('fearless channel: corrupt message (a shared buffer in a bytes-only record)');
  },
  transferredAt: () => {
    throw new Error('fearless channel: corrupt message (a moved buffer in a bytes-only record)');
  },
};

/** Decodes the record `reader.next()` returned `type` for, and hands its bytes back. */
export function take(reader: RingReader, type: number): unknown {
  let ticket = 0;
  let value: unknown;
  try {
    switch (type) {
      case RECORD_INT32:
        value = reader.recordLength();
        break;
      case RECORD_NUMBER:
        value = reader.number();
        break;
      case RECORD_BYTES:
        value = reader.plain(noSideTables);
        break;
      case RECORD_TICKET:
        ticket = reader.recordLength();
        break;
      default:
        throw new Error(`fearless channel: corrupt queue (record type ${type} at byte ${reader.offset})`);
    }
  } finally {
    reader.advance(type);
  }
  return type === RECORD_TICKET ? unpark(ticket) : value;
}
