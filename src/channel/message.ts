/**
 * One message on its way in or out of the ring: picks the cheapest record for a value.
 *
 * - a number: a NUMBER record (16 bytes, no codec at all);
 * - plain data: a BYTES record in the channel codec (codec-write.ts);
 * - plain data too deep for the codec (or cyclic): a V8 record (v8.serialize), unless it
 *   holds an Arc's Map view, which v8.serialize would copy empty: then the hub, as below;
 * - anything holding handles, ArrayBuffers or SharedArrayBuffers: parked in the hub
 *   (hub-bridge.ts), a TICKET record keeps its place in the order.
 */
import { deserialize, serialize } from 'node:v8';
import { NotCloneableError } from '../errors.js';
import { holdsSharedMapView } from '../sync/arc/shared-map-view.js';
import { NEEDS_HUB, NEEDS_V8, encodePlain, encodedBytes } from './codec-write.js';
import { park, unpark, type Parked } from './hub-bridge.js';
import { RECORD_BYTES, RECORD_NUMBER, RECORD_TICKET, RECORD_V8 } from './layout.js';
import type { RingReader } from './ring-reader.js';
import { PUBLISHED, type PublishResult, type RingWriter } from './ring-writer.js';

export interface Outgoing {
  readonly type: number;
  readonly number: number;
  /** For BYTES and V8 records. Points into the thread's scratch buffer until `keep`t. */
  bytes: Uint8Array | undefined;
  readonly parked: Parked | undefined;
}

/** Encodes `value`; throws NotCloneableError (naming the path) before anything is published. */
export function prepare(value: unknown): Outgoing {
  if (typeof value === 'number') return { type: RECORD_NUMBER, number: value, bytes: undefined, parked: undefined };
  const signal = encodePlain(value);
  if (signal === 0) return { type: RECORD_BYTES, number: 0, bytes: encodedBytes(), parked: undefined };
  if (signal === NEEDS_V8 && !holdsSharedMapView(value)) return { type: RECORD_V8, number: 0, bytes: serializeWhole(value), parked: undefined };
  // The hub's encoder copies an Arc's Map view by its entries; v8.serialize would copy it empty.
  if (signal === NEEDS_HUB || signal === NEEDS_V8) return { type: RECORD_TICKET, number: 0, bytes: undefined, parked: park(value) };
  throw new Error(`fearless channel: unexpected encoder signal ${String(signal)}`);
}

/** Copies the bytes out of the scratch buffer, for a message that waits (the scratch is reused). */
export function keep(message: Outgoing): void {
  if (message.type === RECORD_BYTES && message.bytes !== undefined) message.bytes = message.bytes.slice();
}

export function publish(writer: RingWriter, message: Outgoing): PublishResult {
  switch (message.type) {
    case RECORD_NUMBER:
      return writer.publishNumber(message.number);
    case RECORD_TICKET:
      return writer.publish(RECORD_TICKET, undefined, message.parked!.ticket);
    default:
      return writer.publish(message.type, message.bytes);
  }
}

/** After the last publish attempt: a published message's moves take effect, a refused one's are undone. */
export function settle(message: Outgoing, status: PublishResult): void {
  if (message.parked === undefined) return;
  if (status === PUBLISHED) message.parked.commit();
  else message.parked.cancel();
}

/** Decodes the record `reader.next()` returned `type` for, and hands its bytes back. */
export function take(reader: RingReader, type: number): unknown {
  let ticket = 0;
  let value: unknown;
  try {
    switch (type) {
      case RECORD_NUMBER:
        value = reader.number();
        break;
      case RECORD_BYTES:
        value = reader.plain();
        break;
      case RECORD_V8:
        value = deserialize(reader.payload());
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

function serializeWhole(value: unknown): Uint8Array {
  try {
    return serialize(value);
  } catch (error) {
    throw new NotCloneableError('', error instanceof Error ? error.message : String(error), 'message');
  }
}
