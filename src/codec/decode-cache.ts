/**
 * Caches that let the decoder skip making strings it made before: short strings (field values
 * such as units, names, states) and key lists (the shapes of objects of one type). Both are
 * checked byte for byte, so a cache can only save work, never change a result.
 */
import * as tag from './tags.js';

interface Input {
  readonly bytes: Uint8Array;
  at: number;
  string(): string;
}

const SHORT = 32;
const STRINGS = 4096;
const strings: string[] = new Array<string>(STRINGS).fill('');

/** The latin1 string of `length` bytes at `start`. */
export function shortString(input: { readonly bytes: Uint8Array; readonly text: Buffer }, start: number, length: number): string {
  const bytes = input.bytes;
  if (length > SHORT) return input.text.toString('latin1', start, start + length);
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
    made = input.text.toString('latin1', start, start + length);
  }
  strings[slot] = made;
  return made;
}

export interface Shape {
  readonly count: number;
  /** The encoded keys, to recognise the shape byte for byte. */
  readonly encoded: Uint8Array;
  readonly keys: readonly string[];
  /** A key `__proto__` is among them: each key is defined, not assigned. */
  readonly hasProto: boolean;
}

const SHAPES = 256;
const shapes: (Shape | undefined)[] = new Array<Shape | undefined>(SHAPES).fill(undefined);

/** Reads `count` keys at `input.at`: from the cache when the same bytes were read before. */
export function shapeAt(input: Input, count: number): Shape {
  const bytes = input.bytes;
  const start = input.at;
  let at = start;
  let hash = count;
  for (let index = 0; index < count; index++) {
    if (bytes[at] !== tag.STRING8) return makeShape(input, count, undefined);
    const end = at + 2 + bytes[at + 1]!;
    for (let cursor = at + 1; cursor < end; cursor++) hash = Math.imul(hash ^ bytes[cursor]!, 16777619);
    at = end;
  }
  const slot = (hash >>> 0) % SHAPES;
  const known = shapes[slot];
  if (known !== undefined && known.count === count && sameBytes(known.encoded, bytes, start, at)) {
    input.at = at;
    return known;
  }
  const shape = makeShape(input, count, bytes.slice(start, at));
  shapes[slot] = shape;
  return shape;
}

function makeShape(input: Input, count: number, encoded: Uint8Array | undefined): Shape {
  const keys: string[] = [];
  for (let index = 0; index < count; index++) keys.push(input.string());
  return { count, encoded: encoded ?? new Uint8Array(0), keys, hasProto: keys.includes('__proto__') };
}

function sameBytes(encoded: Uint8Array, bytes: Uint8Array, start: number, end: number): boolean {
  if (encoded.length !== end - start) return false;
  for (let index = 0; index < encoded.length; index++) if (encoded[index] !== bytes[start + index]) return false;
  return true;
}
