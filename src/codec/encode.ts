/**
 * The encoding walk: one pass that checks a value and writes it in the format of tags.ts.
 *
 * Re-entrant: user code runs during a walk (getters, proxies) and may itself send or store a
 * value. Each nesting level has its own encoder, so an inner encode never writes over the
 * outer one's bytes. The bytes an encode returns stay valid until the next encode at the same
 * level, that is, until the caller's next encode: callers copy them out (into a ring, a cell,
 * an envelope) before running any user code.
 */
import { isSharedMapView } from '../sync/arc/shared-map-view.js';
import { describe, isHandle, type Handle } from '../wire/handle.js';
import {
  DETACHED_REASON, PROMISE_REASON, Refusal, SYMBOL_REASON, functionReason, hasMethods, isDetached, methodsReason, weakReason, within,
} from './refuse.js';
import type { EncodeTarget } from './target.js';
import * as tag from './tags.js';
import { ByteWriter } from './writer.js';

/** Deeper values are refused: the receiving side decodes recursively, on a stack of its own. */
export const MAX_DEPTH = 1000;
/** Arrays longer than this with fewer than a quarter of their indices present go key by key. */
const SPARSE_MIN = 64;
/** Objects kept in a list (scanned) before a Map takes over. */
const SCAN_LIMIT = 16;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

const encoders: Encoder[] = [];
let level = 0;

/**
 * Encodes `value` for `target`. Throws NotCloneableError naming `where` and the path; any
 * other error (a getter's) passes through. `prefix` starts the path (an Arc entry's
 * `.get("key")`); with `asArguments`, `value` is an argument list and the place names the
 * argument (`move() argument 2 at .items[1].cb`).
 */
export function encode(value: unknown, target: EncodeTarget, where: string, prefix = '', asArguments = false): Uint8Array {
  const encoder = (encoders[level] ??= new Encoder());
  level++;
  try {
    encoder.start(target);
    encoder.value(value);
    return encoder.bytes.subarray(0, encoder.at);
  } catch (error) {
    throw error instanceof Refusal ? error.toError(where, prefix, asArguments) : error;
  } finally {
    encoder.finish();
    level--;
  }
}

class Encoder extends ByteWriter {
  /**
   * Objects met so far and the offsets of their tags (for REF). Most values hold a few
   * objects: a scan of a short list beats hashing, and Map#clear costs microseconds (it
   * allocates a new table), so a Map is made only for values with many objects.
   */
  private readonly objects: object[] = [];
  private readonly offsets: number[] = [];
  private count = 0;
  private many: Map<object, number> | undefined;
  private target: EncodeTarget | undefined;
  private depth = 0;

  start(target: EncodeTarget): void {
    this.target = target;
    this.at = 0;
    this.depth = 0;
  }

  finish(): void {
    // Let go of the value's objects (the list itself is kept for the next encode).
    if (this.count > 0) this.objects.fill(undefined as unknown as object, 0, this.count);
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
    switch (typeof value) {
      case 'number':
        this.number(value);
        return;
      case 'string':
        this.string(value);
        return;
      case 'boolean':
        this.u8(value ? tag.TRUE : tag.FALSE);
        return;
      case 'undefined':
        this.u8(tag.UNDEFINED);
        return;
      case 'bigint':
        this.u8(tag.BIGINT);
        this.string(value.toString(16));
        return;
      case 'symbol':
        throw new Refusal(SYMBOL_REASON);
      case 'function':
        throw new Refusal(functionReason(value as (...args: never) => unknown));
      default:
        if (value === null) this.u8(tag.NULL);
        else this.object(value as object);
    }
  }

  private object(value: object): void {
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
  private fields(value: Record<string, unknown>, kind: number): void {
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
  private pairs(value: Record<string, unknown>, keys: readonly string[], from: number): void {
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

  private special(value: object, prototype: object): void {
    if (ArrayBuffer.isView(value)) {
      this.view_(value);
    } else if (value instanceof ArrayBuffer) {
      this.arrayBuffer(value);
    } else if (value instanceof SharedArrayBuffer) {
      this.u8(tag.SHARED);
      this.u32(this.target!.sharedId(value));
    } else if (isHandle(value)) {
      this.handle(value);
    } else if (value instanceof Map) {
      // An Arc's Map view is read through its methods: its Map storage is empty.
      if (!isSharedMapView(value)) this.checkSubclass(value, prototype, Map.prototype);
      this.map(value as Map<unknown, unknown>);
    } else if (value instanceof Set) {
      this.checkSubclass(value, prototype, Set.prototype);
      this.set(value as Set<unknown>);
    } else if (value instanceof Date) {
      this.checkSubclass(value, prototype, Date.prototype);
      this.u8(tag.DATE);
      this.f64(Date.prototype.getTime.call(value));
    } else if (value instanceof RegExp) {
      this.checkSubclass(value, prototype, RegExp.prototype);
      this.u8(tag.REGEXP);
      this.string(value.source);
      this.string(value.flags);
    } else if (value instanceof Error) {
      this.checkSubclass(value, prototype, tag.ERROR_TYPES[errorBaseIndex(value)]!.prototype);
      this.error(value);
    } else if (value instanceof Number || value instanceof String || value instanceof Boolean || value instanceof BigInt) {
      this.u8(tag.BOXED);
      this.value((value as { valueOf(): unknown }).valueOf.call(value));
    } else if (value instanceof Symbol) {
      throw new Refusal(SYMBOL_REASON);
    } else if (value instanceof Promise) {
      throw new Refusal(PROMISE_REASON);
    } else if (value instanceof WeakMap || value instanceof WeakSet || value instanceof WeakRef) {
      throw new Refusal(weakReason(value));
    } else {
      if (hasMethods(prototype, Object.prototype)) throw new Refusal(methodsReason(value));
      // A class instance with fields only: it crosses as a plain object, as in structuredClone.
      this.fields(value as Record<string, unknown>, tag.OBJECT);
    }
  }

  private checkSubclass(value: object, prototype: object, base: object): void {
    if (prototype !== base && hasMethods(prototype, base)) throw new Refusal(methodsReason(value));
  }

  private map(value: Map<unknown, unknown>): void {
    this.u8(tag.MAP);
    const countAt = this.at;
    this.u32(0);
    let count = 0;
    let key: unknown;
    let onKey = true;
    try {
      for (const [entryKey, item] of value) {
        key = entryKey;
        onKey = true;
        this.value(entryKey);
        onKey = false;
        this.value(item);
        count++;
      }
    } catch (error) {
      throw within(error, onKey ? '.keys()' : `.get(${describeKey(key)})`);
    }
    this.view.setUint32(countAt, count, true);
  }

  private set(value: Set<unknown>): void {
    this.u8(tag.SET);
    const countAt = this.at;
    this.u32(0);
    let count = 0;
    try {
      for (const item of value) {
        this.value(item);
        count++;
      }
    } catch (error) {
      throw within(error, '.values()');
    }
    this.view.setUint32(countAt, count, true);
  }

  private error(value: Error): void {
    const own = (key: string): boolean => Object.prototype.hasOwnProperty.call(value, key);
    const name: unknown = value.name;
    const stack: unknown = value.stack;
    const message = own('message') ? String((value as { message: unknown }).message) : undefined;
    const flags =
      (message === undefined ? 0 : tag.ERROR_MESSAGE) |
      (typeof stack === 'string' ? tag.ERROR_STACK : 0) |
      (own('cause') ? tag.ERROR_CAUSE : 0) |
      (value instanceof AggregateError && own('errors') ? tag.ERROR_ERRORS : 0);
    this.u8(tag.ERROR);
    this.u8(errorType(value, name));
    this.u8(flags);
    this.string(typeof name === 'string' ? name : 'Error');
    if (message !== undefined) this.string(message);
    if (typeof stack === 'string') this.string(stack);
    try {
      if ((flags & tag.ERROR_CAUSE) !== 0) this.value(value.cause);
    } catch (error) {
      throw within(error, '.cause');
    }
    try {
      if ((flags & tag.ERROR_ERRORS) !== 0) this.value((value as AggregateError).errors);
    } catch (error) {
      throw within(error, '.errors');
    }
    const keys = Object.keys(value).filter((key) => !ERROR_OWN.has(key));
    this.pairs(value as unknown as Record<string, unknown>, keys, 0);
  }

  private arrayBuffer(buffer: ArrayBuffer): void {
    if (isDetached(buffer)) throw new Refusal(DETACHED_REASON);
    const index = this.target!.transferIndex(buffer);
    if (index >= 0) {
      this.u8(tag.TRANSFERRED);
      this.u32(index);
      return;
    }
    this.u8(tag.ARRAY_BUFFER);
    const resizable = (buffer as { resizable?: boolean }).resizable === true;
    this.u8(resizable ? tag.RESIZABLE : 0);
    if (resizable) this.u32((buffer as unknown as { maxByteLength: number }).maxByteLength);
    this.raw(new Uint8Array(buffer));
  }

  // Named with a trailing underscore: `view` is the writer's DataView.
  private view_(value: ArrayBufferView): void {
    const kind = viewKind(value);
    const buffer = value.buffer;
    if (buffer instanceof ArrayBuffer && isDetached(buffer)) throw new Refusal(`the view's ${DETACHED_REASON}`);
    this.u8(tag.VIEW);
    this.u8(kind);
    // The whole underlying buffer, as structuredClone sends it; two views over one buffer
    // arrive over one buffer.
    this.object(buffer);
    this.u32(value.byteOffset);
    this.u32(value instanceof DataView ? value.byteLength : (value as Uint8Array).length);
  }

  private handle(value: Handle): void {
    const descriptor = value[describe]();
    const refused = this.target!.acceptHandle(value, descriptor);
    if (refused !== undefined) throw new Refusal(refused);
    this.u8(tag.HANDLE);
    this.string(descriptor.kind);
    this.u32(descriptor.buffers.length);
    for (const buffer of descriptor.buffers) this.u32(this.target!.sharedId(buffer));
    this.fields(descriptor.data as Record<string, unknown>, tag.OBJECT);
  }
}

const ERROR_OWN = new Set(['name', 'message', 'stack', 'cause', 'errors']);

/** The built-in an error is decoded as: by its name when that is a built-in's (as structuredClone
 *  does), else the nearest built-in it extends. */
function errorType(value: Error, name: unknown): number {
  const byName = tag.ERROR_TYPES.findIndex((type) => type.name === name);
  return byName >= 0 ? byName : errorBaseIndex(value);
}

function errorBaseIndex(value: Error): number {
  for (let index = tag.ERROR_TYPES.length - 1; index > 0; index--) if (value instanceof tag.ERROR_TYPES[index]!) return index;
  return 0;
}

function viewKind(value: ArrayBufferView): number {
  for (let index = 0; index < tag.VIEW_TYPES.length; index++) if (value instanceof tag.VIEW_TYPES[index]!) return index;
  throw new Refusal('an unknown kind of typed array cannot cross a worker boundary');
}

function keySegment(key: string): string {
  return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function describeKey(key: unknown): string {
  if (typeof key === 'string') return JSON.stringify(key);
  if (typeof key === 'number' || typeof key === 'boolean' || typeof key === 'bigint' || key === undefined || key === null) return String(key);
  return '…';
}
