/**
 * Decodes one message written by codec-write.ts straight out of the shared ring (no copy of the
 * record first). The reader owns the record until it advances HEAD, so nothing changes under it.
 */
import { deserialize } from 'node:v8';
import * as tag from './codec-tags.js';

/** Fixed-length views over one channel's data buffer, covering every published record. */
export interface ReadViews {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly text: Buffer;
}

let bytes: Uint8Array = new Uint8Array(0);
let view: DataView = new DataView(new ArrayBuffer(0));
let views: ReadViews | undefined;
let at = 0;

/** Decodes the value encoded at byte `offset` of `source`'s buffer. */
export function decodePlain(source: ReadViews, offset: number): unknown {
  views = source;
  bytes = source.bytes;
  view = source.view;
  at = offset;
  return readValue();
}

function readValue(): unknown {
  const kind = bytes[at++];
  switch (kind) {
    case tag.TAG_INT:
      at += 4;
      return view.getInt32(at - 4, true);
    case tag.TAG_FLOAT:
      at += 8;
      return view.getFloat64(at - 8, true);
    case tag.TAG_STRING8:
    case tag.TAG_STRING32:
    case tag.TAG_STRING16:
      at--;
      return readString();
    case tag.TAG_OBJECT:
      return readFields();
    case tag.TAG_ARRAY:
      return readArray();
    case tag.TAG_TRUE:
      return true;
    case tag.TAG_FALSE:
      return false;
    case tag.TAG_NULL:
      return null;
    case tag.TAG_UNDEFINED:
      return undefined;
    case tag.TAG_BIGINT:
      return readBigInt();
    default:
      return readRare(kind);
  }
}

function readRare(kind: number | undefined): unknown {
  switch (kind) {
    case tag.TAG_DATE:
      at += 8;
      return new Date(view.getFloat64(at - 8, true));
    case tag.TAG_REGEXP: {
      const source = readString();
      return new RegExp(source, readString());
    }
    case tag.TAG_MAP: {
      const count = readU32();
      const map = new Map<unknown, unknown>();
      for (let index = 0; index < count; index++) {
        const key = readValue();
        map.set(key, readValue());
      }
      return map;
    }
    case tag.TAG_SET: {
      const count = readU32();
      const set = new Set<unknown>();
      for (let index = 0; index < count; index++) set.add(readValue());
      return set;
    }
    case tag.TAG_V8: {
      const length = readU32();
      at += length;
      // deserialize wants a private buffer: copy the blob out of shared memory.
      return deserialize(bytes.slice(at - length, at));
    }
    default:
      throw new Error(`fearless channel: corrupt message (unknown tag ${String(kind)} at byte ${at - 1})`);
  }
}

function readU32(): number {
  at += 4;
  return view.getUint32(at - 4, true);
}

function readString(): string {
  const kind = bytes[at];
  if (kind === tag.TAG_STRING8) {
    const length = bytes[at + 1]!;
    at += 2 + length;
    return length <= SHORT ? shortString(at - length, length) : latin1(at - length, at);
  }
  const length = view.getUint32(at + 1, true);
  at += 5;
  if (kind === tag.TAG_STRING32) {
    at += length;
    return latin1(at - length, at);
  }
  at += 2 * length;
  return views!.text.toString('utf16le', at - 2 * length, at);
}

/**
 * Short strings repeat (field values like units, names, states): a small cache checked byte
 * for byte returns the same string instead of making a new one each time.
 */
const SHORT = 32;
const STRINGS = 4096;
const strings: string[] = new Array<string>(STRINGS).fill('');

function shortString(start: number, length: number): string {
  let hash = length;
  for (let index = 0; index < length; index++) hash = Math.imul(hash ^ bytes[start + index]!, 0x9e3779b1);
  const slot = hash >>> 20;
  const cached = strings[slot]!;
  if (cached.length === length) {
    let index = 0;
    while (index < length && cached.charCodeAt(index) === bytes[start + index]) index++;
    if (index === length) return cached;
  }
  let made: string;
  if (length < 12) {
    made = '';
    for (let index = 0; index < length; index++) made += String.fromCharCode(bytes[start + index]!);
  } else {
    made = latin1(start, start + length);
  }
  strings[slot] = made;
  return made;
}

function latin1(start: number, end: number): string {
  return views!.text.toString('latin1', start, end);
}

function readBigInt(): bigint {
  const text = readString();
  return text.startsWith('-') ? -BigInt(`0x${text.slice(1)}`) : BigInt(`0x${text}`);
}

function readArray(): unknown[] {
  const length = readU32();
  const array: unknown[] = new Array<unknown>(length);
  for (let index = 0; index < length; index++) {
    if (bytes[at] === tag.TAG_HOLE) {
      at++;
      continue;
    }
    array[index] = readValue();
  }
  return array;
}

function readFields(): Record<string, unknown> {
  const count = readU32();
  const shape = readShape(count);
  if (shape.build !== undefined) {
    const values = new Array<unknown>(count);
    for (let index = 0; index < count; index++) values[index] = readValue();
    return shape.build(values);
  }
  const object: Record<string, unknown> = {};
  for (const key of shape.keys) {
    if (key === '__proto__') {
      // A plain assignment would set the prototype; the sender had an own field of that name.
      Object.defineProperty(object, key, { value: readValue(), enumerable: true, writable: true, configurable: true });
    } else {
      object[key] = readValue();
    }
  }
  return object;
}

/**
 * A key list seen before, with a function that builds an object literal of exactly those keys:
 * messages of one type decode without making a key string or growing an object field by field,
 * and the objects share one hidden class, as they did on the sending side.
 */
interface Shape {
  readonly count: number;
  /** The encoded keys, to recognise the shape byte for byte. */
  readonly encoded: Uint8Array;
  readonly keys: readonly string[];
  readonly build: ((values: unknown[]) => Record<string, unknown>) | undefined;
}

const SHAPES = 256;
const shapes: (Shape | undefined)[] = new Array<Shape | undefined>(SHAPES).fill(undefined);

function readShape(count: number): Shape {
  const start = at;
  let hash = count;
  let simple = true;
  for (let index = 0; index < count; index++) {
    if (bytes[at] !== tag.TAG_STRING8) {
      simple = false;
      break;
    }
    const end = at + 2 + bytes[at + 1]!;
    for (let cursor = at + 1; cursor < end; cursor++) hash = Math.imul(hash ^ bytes[cursor]!, 16777619);
    at = end;
  }
  if (simple) {
    const slot = (hash >>> 0) % SHAPES;
    const known = shapes[slot];
    if (known !== undefined && known.count === count && sameBytes(known.encoded, start, at)) return known;
    const end = at;
    at = start;
    const shape = makeShape(count);
    shapes[slot] = { ...shape, encoded: bytes.slice(start, end) };
    return shape;
  }
  at = start;
  return makeShape(count);
}

function sameBytes(encoded: Uint8Array, start: number, end: number): boolean {
  if (encoded.length !== end - start) return false;
  for (let index = 0; index < encoded.length; index++) if (encoded[index] !== bytes[start + index]) return false;
  return true;
}

function makeShape(count: number): Shape {
  const keys: string[] = [];
  for (let index = 0; index < count; index++) keys.push(readString());
  return { count, encoded: new Uint8Array(0), keys, build: keys.includes('__proto__') ? undefined : builder(keys) };
}

function builder(keys: readonly string[]): (values: unknown[]) => Record<string, unknown> {
  // An object literal with these keys, in this order (JSON.stringify quotes each key safely).
  const fields = keys.map((key, index) => `${JSON.stringify(key)}: values[${index}]`).join(', ');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the source is built from quoted keys only
  return new Function('values', `return { ${fields} };`) as (values: unknown[]) => Record<string, unknown>;
}
