/**
 * Caches that let the decoder skip making strings it made before: short strings (field values
 * such as units, names, states) and key lists (the shapes of objects of one type). Both are
 * checked byte for byte, so a cache can only save work, never change a result.
 */
import * as tag from './tags.js';

/** What a compiled literal reads its values from: the decoder. */
export interface ValueSource {
  value(): unknown;
}

interface Input {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  at: number;
  string(): string;
}

const SHORT = 32;
const STRINGS = 4096;
const strings: string[] = new Array<string>(STRINGS).fill('');

/**
 * The latin1 string of `length` bytes at `start`. The cache is two-way: each hash picks a pair
 * of entries, looked at both, and a new string goes first while the one it displaces moves
 * second. With one entry per hash, two strings of one message that shared a slot (`celsius`
 * and `roof` do) evicted each other on every message: half the strings of the benchmark's
 * record were made anew each time.
 */
export function shortString(input: { readonly bytes: Uint8Array; readonly text: Buffer }, start: number, length: number): string {
  const bytes = input.bytes;
  if (length > SHORT) return input.text.toString('latin1', start, start + length);
  let hash = length;
  for (let index = 0; index < length; index++) hash = Math.imul(hash ^ bytes[start + index]!, 0x9e3779b1);
  const pair = (hash >>> 20) & ~1;
  const first = strings[pair]!;
  if (first.length === length && sameLatin1(first, bytes, start, length)) return first;
  const second = strings[pair + 1]!;
  if (second.length === length && sameLatin1(second, bytes, start, length)) return second;
  let made: string;
  if (length < 12) {
    made = '';
    for (let index = 0; index < length; index++) made += String.fromCharCode(bytes[start + index]!);
  } else {
    made = input.text.toString('latin1', start, start + length);
  }
  strings[pair + 1] = first;
  strings[pair] = made;
  return made;
}

function sameLatin1(cached: string, bytes: Uint8Array, start: number, length: number): boolean {
  let index = 0;
  while (index < length && cached.charCodeAt(index) === bytes[start + index]) index++;
  return index === length;
}

export interface Shape {
  readonly count: number;
  /** The encoded keys, to recognise the shape byte for byte. */
  readonly encoded: Uint8Array;
  /** The same bytes, for the word-at-a-time comparison. */
  readonly view: DataView;
  readonly keys: readonly string[];
  /** A key `__proto__` is among them: never given to `literalBuilder` (a literal would set the prototype). */
  readonly hasProto: boolean;
  /** Times the shape was read since it was cached. */
  hits: number;
  /** Makes an object of exactly these keys from their values (see `literalBuilder`). */
  build: ((input: ValueSource) => Record<string, unknown>) | undefined;
}

/**
 * A descriptor for an own data property as structuredClone (and an object literal) creates it.
 * Its prototype is null so that nothing a program adds to Object.prototype (a `get`, a `set`)
 * is read as part of it.
 */
export function ownData(value: unknown): PropertyDescriptor {
  return { __proto__: null, value, writable: true, enumerable: true, configurable: true } as PropertyDescriptor;
}

/**
 * Whether assigning each of `keys` to a new plain object (`{}`) defines it as an own data
 * property, as structuredClone and an object literal do. That holds only for a key that
 * Object.prototype (the whole prototype chain of `{}`) does not have: an inherited setter would
 * run instead, an inherited read-only property would make the assignment throw
 * (`Object.freeze(Object.prototype)`, a hardening some servers apply, makes `constructor`,
 * `toString`… read-only), and `__proto__` would set the prototype. Asked at every object, never
 * remembered: a program may freeze its prototypes or add a setter at any time. When it is not
 * so, the keys are defined one by one (`defineOwn`), which is much slower.
 */
export function noneInherited(keys: readonly string[]): boolean {
  for (let index = 0; index < keys.length; index++) if (keys[index]! in objectPrototype) return false;
  return true;
}
const objectPrototype = Object.prototype;

/** Defines `key` on `object` as an own data property; assigns it when nothing on the prototype chain has the key (see `noneInherited`). */
export function defineOwn(object: object, key: string, value: unknown): void {
  if (key in object) Object.defineProperty(object, key, ownData(value));
  else (object as Record<string, unknown>)[key] = value;
}

/**
 * Whether this thread may compile an object literal per shape. Building an object from a
 * literal is several times faster than adding its keys one by one, but it takes code
 * generation, which hardened processes (`--disallow-code-generation-from-strings`) forbid: then
 * every object is built key by key, with the same result.
 */
let literals = canGenerateCode();

function canGenerateCode(): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a probe: fixed source
    return (new Function('return 1') as () => number)() === 1;
  } catch {
    return false;
  }
}

/** For tests: decode as a hardened process does (false), or as this one can (true). */
export function useLiterals(enabled: boolean): void {
  literals = enabled && canGenerateCode();
  shapes.fill(undefined);
}

/** Shapes with more keys are always built key by key (a literal would not pay back). */
const MAX_LITERAL_KEYS = 32;

/**
 * The builder for a shape read twice: `(input) => ({ "k0": input.value(), ... })`, which reads
 * the values in order (an object literal's values are evaluated left to right) straight into
 * the new object. The source is made of the keys quoted by JSON.stringify (a valid string
 * literal for any string) and nothing else; a `__proto__` key is never given to it (in a
 * literal it sets the prototype).
 */
function literalBuilder(keys: readonly string[]): (input: ValueSource) => Record<string, unknown> {
  const fields = keys.map((key) => `${JSON.stringify(key)}: input.value()`).join(', ');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the source is built from quoted keys only
  return new Function('input', `return { ${fields} };`) as (input: ValueSource) => Record<string, unknown>;
}

const SHAPES = 256;
const shapes: (Shape | undefined)[] = new Array<Shape | undefined>(SHAPES).fill(undefined);

/**
 * Reads `count` keys at `input.at`: from the cache when the same bytes were read before. The
 * key list is hashed and compared four bytes at a time (DataView reads, unaligned): a record's
 * key list is tens of bytes, read for every object of the message.
 */
export function shapeAt(input: Input, count: number): Shape {
  const bytes = input.bytes;
  const start = input.at;
  let at = start;
  for (let index = 0; index < count; index++) {
    if (bytes[at] !== tag.STRING8) return makeShape(input, count, undefined);
    at += 2 + bytes[at + 1]!;
  }
  if (at > bytes.length) return makeShape(input, count, undefined);
  const view = input.view;
  const words = start + ((at - start) & ~3);
  let hash = count ^ (at - start);
  for (let cursor = start; cursor < words; cursor += 4) hash = Math.imul(hash ^ view.getInt32(cursor, true), 0x9e3779b1);
  for (let cursor = words; cursor < at; cursor++) hash = Math.imul(hash ^ bytes[cursor]!, 0x9e3779b1);
  // Two-way, as the string cache: the shapes of one message (an object and the objects in it)
  // that pick the same pair both stay.
  const pair = (hash >>> 24) & (SHAPES - 2);
  const first = shapes[pair];
  const known = first !== undefined && first.count === count && sameBytes(first, view, bytes, start, at) ? first : shapes[pair + 1];
  if (known !== undefined && known.count === count && sameBytes(known, view, bytes, start, at)) {
    input.at = at;
    if (++known.hits === 2 && literals && !known.hasProto && count <= MAX_LITERAL_KEYS) known.build = literalBuilder(known.keys);
    return known;
  }
  const shape = makeShape(input, count, bytes.slice(start, at));
  shapes[pair + 1] = first;
  shapes[pair] = shape;
  return shape;
}

function makeShape(input: Input, count: number, encoded: Uint8Array | undefined): Shape {
  const keys: string[] = [];
  for (let index = 0; index < count; index++) keys.push(input.string());
  const bytes = encoded ?? new Uint8Array(0);
  return { count, encoded: bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), keys, hasProto: keys.includes('__proto__'), hits: 0, build: undefined };
}

/** Whether `shape` was made from the bytes `start`..`end`: compared a word at a time, then the tail. */
function sameBytes(shape: Shape, view: DataView, bytes: Uint8Array, start: number, end: number): boolean {
  const length = end - start;
  const encoded = shape.encoded;
  if (encoded.length !== length) return false;
  const known = shape.view;
  const words = length & ~3;
  for (let index = 0; index < words; index += 4) if (known.getInt32(index, true) !== view.getInt32(start + index, true)) return false;
  for (let index = words; index < length; index++) if (encoded[index] !== bytes[start + index]) return false;
  return true;
}
