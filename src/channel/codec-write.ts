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
import { scratch } from './codec-scratch.js';
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

/** The encoded bytes of the last successful `encodePlain` (valid until the next call). */
export function encodedBytes(): Uint8Array {
  return scratch.written();
}

/** Encodes `value` into the scratch buffer; returns 0 on success or a NEEDS_* signal. */
export function encodePlain(value: unknown): 0 | typeof NEEDS_HUB | typeof NEEDS_V8 {
  scratch.position = 0;
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

function writeValue(value: unknown, depth: number): void {
  switch (typeof value) {
    case 'number':
      scratch.number(value);
      return;
    case 'string':
      scratch.string(value);
      return;
    case 'boolean':
      scratch.tag(value ? tag.TAG_TRUE : tag.TAG_FALSE);
      return;
    case 'undefined':
      scratch.tag(tag.TAG_UNDEFINED);
      return;
    case 'bigint':
      scratch.tag(tag.TAG_BIGINT);
      scratch.string(value.toString(16));
      return;
    case 'object':
      if (value === null) {
        scratch.tag(tag.TAG_NULL);
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
    scratch.tag(tag.TAG_DATE);
    scratch.f64(value.getTime());
  } else if (value instanceof Map) {
    scratch.tag(tag.TAG_MAP);
    scratch.u32(value.size);
    for (const [key, entry] of value as Map<unknown, unknown>) {
      within(`.get(${describeKey(key)})`, () => {
        writeValue(key, depth);
        writeValue(entry, depth);
      });
    }
  } else if (value instanceof Set) {
    scratch.tag(tag.TAG_SET);
    scratch.u32(value.size);
    for (const member of value as Set<unknown>) {
      within(`.has(${describeKey(member)})`, () => writeValue(member, depth));
    }
  } else if (value instanceof RegExp) {
    scratch.tag(tag.TAG_REGEXP);
    scratch.string(value.source);
    scratch.string(value.flags);
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
  scratch.tag(tag.TAG_ARRAY);
  scratch.u32(length);
  for (let index = 0; index < length; index++) {
    if (!(index in value)) {
      scratch.tag(tag.TAG_HOLE);
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
  scratch.tag(tag.TAG_OBJECT);
  scratch.u32(keys.length);
  scratch.keys(keys);
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
  scratch.blob(bytes);
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
