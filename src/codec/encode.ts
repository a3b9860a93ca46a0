/**
 * The encoding walk: one pass that checks a value and writes it in the format of tags.ts.
 *
 * Re-entrant: user code runs during a walk (getters, proxies) and may itself send or store a
 * value. Each nesting level has its own encoder, so an inner encode never writes over the
 * outer one's bytes. The bytes an encode returns stay valid until the next encode at the same
 * level, that is, until the caller's next encode: callers copy them out (into a ring, a cell,
 * an envelope) before running any user code.
 */
import { BuiltinWriter, keySegment } from './encode-builtins.js';
import { Refusal, SYMBOL_REASON, functionReason, within } from './refuse.js';
import type { EncodeTarget } from './target.js';
import * as tag from './tags.js';

/** Deeper values are refused: the receiving side decodes recursively, on a stack of its own. */
export const MAX_DEPTH = 1000;
/** Arrays longer than this with fewer than a quarter of their indices present go key by key. */
const SPARSE_MIN = 64;
/** Objects kept in a list (scanned) before a Map takes over. */
const SCAN_LIMIT = 16;

const encoders: Encoder[] = [];
let level = 0;

/**
 * Encodes `value` for `target`. Throws NotCloneableError naming `where` and the path; any
 * other error (a getter's) passes through. `prefix` starts the path (an Arc entry's
 * `.get("key")`); with `asArguments`, `value` is an argument list and the place names the
 * argument (`move() argument 2 at .items[1].cb`).
 */
export function encode(value: unknown, target: EncodeTarget, where: string, prefix = '', asArguments = false): Uint8Array {
  const encoder = encodeInPlace(value, target, where, prefix, asArguments);
  return encoder.bytes.subarray(0, encoder.at);
}

/** The bytes of an encoding left in the encoder's buffer: `bytes` (and `words`, the same memory) from 0 to `at`. */
export interface InPlace {
  readonly bytes: Uint8Array;
  readonly words: Int32Array;
  readonly at: number;
}

/**
 * `encode` without making a view of the result: the encoding is `bytes[0, at)` of the
 * returned encoder, valid (as `encode`'s result) until the caller's next encode. For a hot
 * path that copies the bytes out at once (a channel send), where a new Uint8Array per message
 * costs more than the copy.
 */
export function encodeInPlace(value: unknown, target: EncodeTarget, where: string, prefix = '', asArguments = false): InPlace {
  const encoder = (encoders[level] ??= new Encoder());
  level++;
  try {
    encoder.start(target);
    encoder.value(value);
    return encoder;
  } catch (error) {
    throw error instanceof Refusal ? error.toError(where, prefix, asArguments) : error;
  } finally {
    encoder.finish();
    level--;
  }
}

class Encoder extends BuiltinWriter {
  /**
   * Objects met so far and the offsets of their tags (for REF). Most values hold a few
   * objects: a scan of a short list beats hashing, and Map#clear costs microseconds (it
   * allocates a new table), so a Map is made only for values with many objects.
   */
  private readonly objects: object[] = [];
  private readonly offsets: number[] = [];
  private count = 0;
  private many: Map<object, number> | undefined;
  private depth = 0;

  start(target: EncodeTarget): void {
    this.target = target;
    this.at = 0;
    this.depth = 0;
  }

  finish(): void {
    // Let go of the value's objects (the list itself is kept for the next encode).
    const objects = this.objects as (object | undefined)[];
    for (let index = 0; index < this.count; index++) objects[index] = undefined;
    this.count = 0;
    this.many = undefined;
    this.target = undefined;
  }

  private offsetOf(value: object): number | undefined {
    if (this.many !== undefined) return this.many.get(value);
    const objects = this.objects;
    for (let index = 0; index < this.count; index++) if (objects[index] === value) return this.offsets[index];
    return undefined;
  }

  private remember(value: object, offset: number): void {
    if (this.many !== undefined) {
      this.many.set(value, offset);
      return;
    }
    this.objects[this.count] = value;
    this.offsets[this.count] = offset;
    if (++this.count === SCAN_LIMIT) {
      this.many = new Map();
      for (let index = 0; index < this.count; index++) this.many.set(this.objects[index]!, this.offsets[index]!);
    }
  }

  value(value: unknown): void {
    // `typeof x === '…'` tests compile to type checks; a switch on `typeof x` calls a builtin.
    if (typeof value === 'number') {
      this.number(value);
    } else if (typeof value === 'string') {
      this.string(value);
    } else if (typeof value === 'object') {
      if (value === null) this.u8(tag.NULL);
      else this.object(value);
    } else if (typeof value === 'boolean') {
      this.u8(value ? tag.TRUE : tag.FALSE);
    } else if (typeof value === 'undefined') {
      this.u8(tag.UNDEFINED);
    } else if (typeof value === 'bigint') {
      this.u8(tag.BIGINT);
      this.string(value.toString(16));
    } else if (typeof value === 'symbol') {
      throw new Refusal(SYMBOL_REASON);
    } else {
      throw new Refusal(functionReason(value as (...args: never) => unknown));
    }
  }

  protected object(value: object): void {
    const earlier = this.offsetOf(value);
    if (earlier !== undefined) {
      this.bytes[earlier] = this.bytes[earlier]! | tag.REFERENCED;
      this.reserve(5);
      this.bytes[this.at] = tag.REF;
      this.view.setUint32(this.at + 1, earlier, true);
      this.at += 5;
      return;
    }
    this.remember(value, this.at);
    if (++this.depth > MAX_DEPTH) throw new Refusal(`the value is nested more than ${MAX_DEPTH} levels deep`);
    if (Array.isArray(value)) {
      this.array(value);
    } else {
      const prototype = Object.getPrototypeOf(value) as object | null;
      if (prototype === Object.prototype || prototype === null) this.fields(value as Record<string, unknown>, tag.OBJECT);
      else this.special(value, prototype);
    }
    this.depth--;
  }

  /** Own enumerable string keys, in order, as structuredClone takes them (symbol keys and
   *  non-enumerable properties are left behind, as it leaves them). */
  protected fields(value: Record<string, unknown>, kind: number): void {
    const keys = Object.keys(value);
    const count = keys.length;
    // One call instead of a keyed load per key; a getter that removes a later key makes it
    // shorter than `keys`, and then each key is read on its own.
    let values: unknown[] = Object.values(value);
    if (values.length !== count) values = keys.map((key) => value[key]);
    this.u8(kind);
    this.u32(count);
    this.keys(keys);
    let index = 0;
    try {
      for (; index < count; index++) this.value(values[index]);
    } catch (error) {
      throw within(error, keySegment(keys[index]!));
    }
  }

  private array(value: unknown[]): void {
    const length = value.length;
    const keys = Object.keys(value);
    let index = 0;
    if (keys.length === length && (length === 0 || keys[length - 1] === String(length - 1))) {
      // Dense, no named properties: the common case.
      this.u8(tag.ARRAY);
      this.u32(length);
      try {
        for (; index < length; index++) this.value(value[index]);
      } catch (error) {
        throw within(error, `[${index}]`);
      }
      this.u32(0);
      return;
    }
    if (length > SPARSE_MIN && keys.length * 4 < length) {
      this.u8(tag.SPARSE_ARRAY);
      this.u32(length);
      this.pairs(value as unknown as Record<string, unknown>, keys, 0);
      return;
    }
    this.u8(tag.ARRAY);
    this.u32(length);
    let present = 0;
    try {
      for (; index < length; index++) {
        if (index in value) {
          present++;
          this.value(value[index]);
        } else {
          this.u8(tag.HOLE);
        }
      }
    } catch (error) {
      throw within(error, `[${index}]`);
    }
    // Index keys come first in own key order: what follows them are the named properties.
    this.pairs(value as unknown as Record<string, unknown>, keys, present);
  }

  /** u32 count + (key, value) for `keys` from `from` on. */
  protected pairs(value: Record<string, unknown>, keys: readonly string[], from: number): void {
    this.u32(keys.length - from);
    let index = from;
    try {
      for (; index < keys.length; index++) {
        this.string(keys[index]!);
        this.value(value[keys[index]!]);
      }
    } catch (error) {
      const key = keys[index]!;
      throw within(error, /^\d+$/.test(key) ? `[${key}]` : keySegment(key));
    }
  }
}

