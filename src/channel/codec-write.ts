/**
 * Encodes a message of plain data into a thread-local scratch buffer in the compact format of
 * codec-tags.ts. The ring writer copies the result into shared memory under the producer lock,
 * so the lock is never held while user data is walked (and a throw here leaves the ring as it was).
 *
 * Values this codec does not carry as bytes are signalled, not guessed:
 * - handles, ArrayBuffers, SharedArrayBuffers and typed arrays must travel through the hub
 *   (they are transferred or shared, not copied): `encodePlain` returns `NEEDS_HUB`;
 * - very deep (or cyclic) values: `encodePlain` returns `NEEDS_V8` (v8.serialize keeps cycles);
 * - values that cannot cross at all throw {@link NotCloneableError} naming the path.
 */
import { serialize } from 'node:v8';
import { NotCloneableError } from '../errors.js';
import { isHandle } from '../wire/handle.js';
import * as tag from './codec-tags.js';
import { classInstanceReason, notCloneableReason } from './not-cloneable.js';

export const NEEDS_HUB = 1;
export const NEEDS_V8 = 2;

/** Thrown inside the walk; each container on the way out adds its path segment. */
class Unclonable extends Error {
  readonly segments: string[] = [];
  constructor(readonly reason: string) {
    super(reason);
  }
}
/** Thrown to abandon the walk for another encoding; made once, never shown to users. */
class Signal extends Error {}
const needsHub = new Signal('needs the hub');
const needsV8 = new Signal('needs v8.serialize');

const MAX_DEPTH = 200;
const SHORT_STRING = 64;
const NON_LATIN1 = /[\u0100-\uffff]/;

let scratch = new Uint8Array(16 * 1024);
/** The same memory as a Buffer, for its native latin1 writer. */
let text = Buffer.from(scratch.buffer);
let view = new DataView(scratch.buffer);
let position = 0;

/** The encoded bytes of the last successful `encodePlain` (valid until the next call). */
export function encodedBytes(): Uint8Array {
  return new Uint8Array(scratch.buffer, 0, position);
}

/** Encodes `value` into the scratch buffer; returns 0 on success or a NEEDS_* signal. */
export function encodePlain(value: unknown): 0 | typeof NEEDS_HUB | typeof NEEDS_V8 {
  position = 0;
  try {
    writeValue(value, 0);
    return 0;
  } catch (error) {
    if (error === needsHub) return NEEDS_HUB;
    if (error === needsV8) return NEEDS_V8;
    if (error instanceof Unclonable) {
      throw new NotCloneableError(error.segments.reverse().join(''), error.reason, 'message');
    }
    throw error;
  }
}

function reserve(bytes: number): void {
  if (position + bytes <= scratch.length) return;
  let size = scratch.length * 2;
  while (size < position + bytes) size *= 2;
  const next = new Uint8Array(size);
  next.set(scratch.subarray(0, position));
  scratch = next;
  text = Buffer.from(scratch.buffer);
  view = new DataView(scratch.buffer);
}

function writeTag(value: number): void {
  reserve(1);
  scratch[position++] = value;
}

function writeU32(value: number): void {
  reserve(4);
  view.setUint32(position, value, true);
  position += 4;
}

function writeNumber(value: number): void {
  reserve(9);
  if ((value | 0) === value && !(value === 0 && 1 / value < 0)) {
    scratch[position] = tag.TAG_INT;
    view.setInt32(position + 1, value, true);
    position += 5;
  } else {
    scratch[position] = tag.TAG_FLOAT;
    view.setFloat64(position + 1, value, true);
    position += 9;
  }
}

export function writeString(value: string): void {
  const length = value.length;
  if (length < SHORT_STRING) {
    reserve(2 + length);
    const start = position;
    scratch[position] = tag.TAG_STRING8;
    scratch[position + 1] = length;
    let at = position + 2;
    for (let index = 0; index < length; index++) {
      const code = value.charCodeAt(index);
      if (code > 0xff) {
        position = start;
        writeString16(value);
        return;
      }
      scratch[at++] = code;
    }
    position = at;
    return;
  }
  if (NON_LATIN1.test(value)) {
    writeString16(value);
    return;
  }
  reserve(5 + length);
  scratch[position] = tag.TAG_STRING32;
  view.setUint32(position + 1, length, true);
  text.write(value, position + 5, length, 'latin1');
  position += 5 + length;
}

function writeString16(value: string): void {
  const length = value.length;
  reserve(5 + 2 * length);
  scratch[position] = tag.TAG_STRING16;
  view.setUint32(position + 1, length, true);
  position += 5;
  for (let index = 0; index < length; index++) {
    view.setUint16(position, value.charCodeAt(index), true);
    position += 2;
  }
}

function writeValue(value: unknown, depth: number): void {
  switch (typeof value) {
    case 'number':
      writeNumber(value);
      return;
    case 'string':
      writeString(value);
      return;
    case 'boolean':
      writeTag(value ? tag.TAG_TRUE : tag.TAG_FALSE);
      return;
    case 'undefined':
      writeTag(tag.TAG_UNDEFINED);
      return;
    case 'bigint':
      writeTag(tag.TAG_BIGINT);
      writeString(value.toString(16));
      return;
    case 'object':
      if (value === null) {
        writeTag(tag.TAG_NULL);
        return;
      }
      if (depth >= MAX_DEPTH) throw needsV8;
      writeObject(value, depth + 1);
      return;
    default:
      throw new Unclonable(notCloneableReason(value) ?? `a ${typeof value} cannot be copied`);
  }
}

function writeObject(value: object, depth: number): void {
  if (Array.isArray(value)) {
    writeArray(value, depth);
    return;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === Object.prototype || prototype === null) {
    writeFields(value as Record<string, unknown>, depth);
    return;
  }
  if (value instanceof Date) {
    writeTag(tag.TAG_DATE);
    reserve(8);
    view.setFloat64(position, value.getTime(), true);
    position += 8;
  } else if (value instanceof Map) {
    writeTag(tag.TAG_MAP);
    writeU32(value.size);
    for (const [key, entry] of value as Map<unknown, unknown>) {
      within(`.get(${describeKey(key)})`, () => {
        writeValue(key, depth);
        writeValue(entry, depth);
      });
    }
  } else if (value instanceof Set) {
    writeTag(tag.TAG_SET);
    writeU32(value.size);
    for (const member of value as Set<unknown>) {
      within(`.has(${describeKey(member)})`, () => writeValue(member, depth));
    }
  } else if (value instanceof RegExp) {
    writeTag(tag.TAG_REGEXP);
    writeString(value.source);
    writeString(value.flags);
  } else if (isHandle(value) || value instanceof ArrayBuffer || value instanceof SharedArrayBuffer || ArrayBuffer.isView(value)) {
    throw needsHub;
  } else {
    const reason = notCloneableReason(value);
    if (reason !== undefined) throw new Unclonable(reason);
    if (value instanceof Error || value instanceof Number || value instanceof String || value instanceof Boolean) {
      writeBlob(value);
    } else if (isPlainInstance(value)) {
      // A class instance without methods (a data class): copied field by field like a plain
      // object, as the structured clone algorithm does.
      writeFields(value as Record<string, unknown>, depth);
    } else {
      throw new Unclonable(classInstanceReason(value));
    }
  }
}

function writeArray(value: readonly unknown[], depth: number): void {
  const length = value.length;
  writeTag(tag.TAG_ARRAY);
  writeU32(length);
  for (let index = 0; index < length; index++) {
    if (!(index in value)) {
      writeTag(tag.TAG_HOLE);
      continue;
    }
    try {
      writeValue(value[index], depth);
    } catch (error) {
      if (error instanceof Unclonable) error.segments.push(`[${index}]`);
      throw error;
    }
  }
}

/** Keys first, then values: the reader recognises a known key list (a shape) in one scan. */
function writeFields(value: Record<string, unknown>, depth: number): void {
  const keys = Object.keys(value);
  // Same order as Object.keys; one call instead of a megamorphic lookup per key.
  const values = Object.values(value);
  writeTag(tag.TAG_OBJECT);
  writeU32(keys.length);
  writeKeys(keys);
  for (let index = 0; index < values.length; index++) {
    try {
      writeValue(values[index], depth);
    } catch (error) {
      const key = keys[index]!;
      if (error instanceof Unclonable) error.segments.push(IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);
      throw error;
    }
  }
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Encoded key lists by first key: messages of one type encode their keys by a copy. */
const keyBlocks = new Map<string, { readonly keys: readonly string[]; readonly bytes: Uint8Array }>();
const MAX_KEY_BLOCKS = 1024;

function writeKeys(keys: readonly string[]): void {
  const first = keys[0];
  if (first === undefined) return;
  const known = keyBlocks.get(first);
  if (known !== undefined && sameKeys(known.keys, keys)) {
    const bytes = known.bytes;
    reserve(bytes.length);
    // Key lists are short: a loop beats TypedArray#set's call overhead.
    for (let index = 0; index < bytes.length; index++) scratch[position + index] = bytes[index]!;
    position += bytes.length;
    return;
  }
  const start = position;
  for (const key of keys) writeString(key);
  if (known !== undefined || keyBlocks.size < MAX_KEY_BLOCKS) keyBlocks.set(first, { keys, bytes: scratch.slice(start, position) });
}

function sameKeys(known: readonly string[], keys: readonly string[]): boolean {
  if (known.length !== keys.length) return false;
  // Property keys are internalised strings: comparing them is comparing pointers.
  for (let index = 0; index < keys.length; index++) if (known[index] !== keys[index]) return false;
  return true;
}

function within(segment: string, body: () => void): void {
  try {
    body();
  } catch (error) {
    if (error instanceof Unclonable) error.segments.push(segment);
    throw error;
  }
}

function describeKey(key: unknown): string {
  if (typeof key === 'string') return JSON.stringify(key);
  if (typeof key === 'object' && key !== null) return Array.isArray(key) ? '[…]' : '{…}';
  return String(key);
}

/** Error and other built-ins (boxed primitives...) that v8.serialize copies faithfully. */
function writeBlob(value: object): void {
  let bytes: Buffer;
  try {
    bytes = serialize(value);
  } catch (error) {
    throw new Unclonable(error instanceof Error ? error.message : String(error));
  }
  writeTag(tag.TAG_V8);
  writeU32(bytes.length);
  reserve(bytes.length);
  scratch.set(bytes, position);
  position += bytes.length;
}

const plainInstance = new WeakMap<object, boolean>();

/** True for instances whose class chain declares no methods (`class Point { x = 0 }`). */
function isPlainInstance(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as object;
  const known = plainInstance.get(prototype);
  if (known !== undefined) return known;
  let plain = true;
  for (let link: object | null = prototype; link !== null && link !== Object.prototype; link = Object.getPrototypeOf(link) as object | null) {
    for (const name of Object.getOwnPropertyNames(link)) {
      if (name === 'constructor') continue;
      const descriptor = Object.getOwnPropertyDescriptor(link, name);
      if (descriptor !== undefined && (typeof descriptor.value === 'function' || descriptor.get !== undefined)) plain = false;
    }
  }
  plainInstance.set(prototype, plain);
  return plain;
}
