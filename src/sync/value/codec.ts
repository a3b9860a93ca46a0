/**
 * The compact codec that keeps a lock's or an Arc's value in shared memory as bytes.
 *
 * Why not `v8.serialize` for everything: it costs ~5 µs per call even for `{ count: 1 }`, and
 * Node 20's v8 deserializer cannot revive SharedArrayBuffers. Plain data (objects, arrays,
 * strings, numbers, booleans, null, undefined, bigint, Map, Set, Date) is written here in one
 * walk; the rarer built-ins (RegExp, Error, ArrayBuffer, typed arrays over ordinary memory)
 * go through `v8.serialize` as an embedded blob. SharedArrayBuffers and typed arrays over them
 * are not copied: they are written as an id in the owner's {@link BufferTable}, so every
 * thread sees them in place. This package's Sync handles (a Mutex inside an Arc...) are written
 * as their descriptor and revived on read.
 *
 * The same walk rejects what cannot cross (functions, symbols, class instances, promises...)
 * with a NotCloneableError naming the path, as `.items[3].cb`.
 */
import { Decoder } from './decoder.js';
import { Encoder } from './encoder.js';
import type { BufferTable } from './tags.js';
import { ByteReader, ByteWriter } from './writer.js';

export type { BufferTable } from './tags.js';

const scratch = new ByteWriter();

/**
 * Encodes `value` into this thread's scratch writer and returns it (valid until the next
 * encode). `where` names the value in errors (`'Mutex value'`), `path` the place of `value`
 * inside it (`.get("term")` for one entry of a Map encoded entry by entry).
 */
export function encodeValue(value: unknown, table: BufferTable, where: string, path = ''): ByteWriter {
  scratch.reset();
  new Encoder(scratch, table, where).value(value, path);
  return scratch;
}

export function decodeValue(view: DataView, offset: number, table: BufferTable): unknown {
  return new Decoder(new ByteReader(view, offset), table).value();
}
