/**
 * The decoding walk: a value written by encode.ts becomes a value again, read in place from
 * wherever its bytes are (a ring, a lock cell, an envelope). One Decoder per value, so a decode
 * that starts another (a lock value claiming a parked buffer) never disturbs it.
 *
 * Objects are created with ordinary operations, or from an object literal compiled per shape
 * where code generation is allowed (decode-cache.ts; same result either way). Typed arrays get
 * buffers of their own unless the value shares or moved them, and every key is defined as an
 * own data property, never assigned through the prototype: a key named `__proto__` stays an
 * own key, an inherited setter never runs, and `constructor` or `toString` decode as well when
 * Object.prototype is frozen (see `noneInherited` in decode-cache.ts).
 */
import { reviveHandle } from '../wire/handle.js';
import { defineOwn, noneInherited, ownData, shortString, shapeAt, type Shape } from './decode-cache.js';
import type { DecodeSource, ReadViews } from './target.js';
import * as tag from './tags.js';

/** Decodes the value whose first byte is at `offset` of `views`. */
export function decode(views: ReadViews, offset: number, source: DecodeSource): unknown {
  return new Decoder(views, offset, source).value();
}

class Decoder {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly text: Buffer;
  at: number;
  private readonly base: number;
  /** Objects flagged REFERENCED, by the offset of their tag. */
  private refs: Map<number, unknown> | undefined;

  constructor(views: ReadViews, offset: number, private readonly source: DecodeSource) {
    this.bytes = views.bytes;
    this.view = views.view;
    this.text = views.text;
    this.at = offset;
    this.base = offset;
  }

  value(): unknown {
    const start = this.at;
    const kind = this.bytes[this.at++]!;
    switch (kind) {
      case tag.INT:
        this.at += 4;
        return this.view.getInt32(this.at - 4, true);
      case tag.FLOAT:
        this.at += 8;
        return this.view.getFloat64(this.at - 8, true);
      case tag.STRING8:
      case tag.LATIN1:
      case tag.UTF16:
        this.at--;
        return this.string();
      case tag.TRUE:
        return true;
      case tag.FALSE:
        return false;
      case tag.NULL:
        return null;
      case tag.UNDEFINED:
        return undefined;
      case tag.BIGINT: {
        const text = this.string();
        return text.startsWith('-') ? -BigInt(`0x${text.slice(1)}`) : BigInt(`0x${text}`);
      }
      case tag.REF: {
        const target = this.base + this.u32();
        if (this.refs === undefined || !this.refs.has(target)) throw corrupt(`a reference to byte ${target}`);
        return this.refs.get(target);
      }
      default:
        return this.object(kind & ~tag.REFERENCED, (kind & tag.REFERENCED) === 0 ? -1 : start);
    }
  }

  /** `start`: where to register the object for REFs, or -1 when nothing refers to it. */
  private object(kind: number, start: number): unknown {
    switch (kind) {
      case tag.OBJECT:
        return this.fields(start);
      case tag.ARRAY:
        return this.array(start);
      case tag.SPARSE_ARRAY: {
        const array = this.keep(start, new Array<unknown>(this.u32())) as unknown[];
        this.pairs(array as unknown as Record<string, unknown>);
        return array;
      }
      case tag.MAP: {
        const map = this.keep(start, new Map<unknown, unknown>()) as Map<unknown, unknown>;
        const count = this.u32();
        for (let index = 0; index < count; index++) {
          const key = this.value();
          map.set(key, this.value());
        }
        return map;
      }
      case tag.SET: {
        const set = this.keep(start, new Set<unknown>()) as Set<unknown>;
        const count = this.u32();
        for (let index = 0; index < count; index++) set.add(this.value());
        return set;
      }
      case tag.ERROR:
        return this.error(start);
      default:
        return this.keep(start, this.leaf(kind));
    }
  }

  /** Objects that hold no references to earlier ones before they exist. */
  private leaf(kind: number): unknown {
    switch (kind) {
      case tag.DATE:
        this.at += 8;
        return new Date(this.view.getFloat64(this.at - 8, true));
      case tag.REGEXP: {
        const source = this.string();
        return new RegExp(source, this.string());
      }
      case tag.BOXED:
        return Object(this.value()) as object;
      case tag.ARRAY_BUFFER: {
        const flags = this.bytes[this.at++]!;
        const options = (flags & tag.RESIZABLE) === 0 ? undefined : { maxByteLength: this.u32() };
        const length = this.u32();
        // A buffer of its own: never a view of the memory the value was read from.
        const buffer = new (ArrayBuffer as new (length: number, options?: { maxByteLength: number }) => ArrayBuffer)(length, options);
        new Uint8Array(buffer).set(this.bytes.subarray(this.at, this.at + length));
        this.at += length;
        return buffer;
      }
      case tag.TRANSFERRED:
        return this.source.transferredAt(this.u32());
      case tag.SHARED:
        return this.source.sharedAt(this.u32());
      case tag.VIEW: {
        const type = tag.VIEW_TYPES[this.bytes[this.at++]!] as tag.ViewType | undefined;
        if (type === undefined) throw corrupt(`a view kind ${this.bytes[this.at - 1]}`);
        const buffer = this.value() as ArrayBufferLike;
        const byteOffset = this.u32();
        return new type(buffer, byteOffset, this.u32());
      }
      case tag.HANDLE: {
        const kind = this.string();
        const count = this.u32();
        const buffers: SharedArrayBuffer[] = [];
        for (let index = 0; index < count; index++) buffers.push(this.source.sharedAt(this.u32()));
        const data = this.value() as Record<string, number | string | boolean | null>;
        return reviveHandle({ kind, buffers, data });
      }
      default:
        throw corrupt(`tag ${kind} at byte ${this.at - 1}`);
    }
  }

  private keep(start: number, object: unknown): unknown {
    if (start >= 0) (this.refs ??= new Map()).set(start, object);
    return object;
  }

  private u32(): number {
    this.at += 4;
    return this.view.getUint32(this.at - 4, true);
  }

  string(): string {
    const bytes = this.bytes;
    const kind = bytes[this.at];
    if (kind === tag.STRING8) {
      const length = bytes[this.at + 1]!;
      this.at += 2 + length;
      return shortString(this, this.at - length, length);
    }
    const length = this.view.getUint32(this.at + 1, true);
    this.at += 5;
    if (kind === tag.LATIN1) {
      this.at += length;
      return this.text.toString('latin1', this.at - length, this.at);
    }
    if (kind !== tag.UTF16) throw corrupt(`a string tag ${kind}`);
    this.at += 2 * length;
    return this.text.toString('utf16le', this.at - 2 * length, this.at);
  }

  private fields(start: number): Record<string, unknown> {
    const count = this.u32();
    if (count === 0) return this.keep(start, {}) as Record<string, unknown>;
    const shape: Shape = shapeAt(this, count);
    // An object nothing refers to cannot be inside its own values: a compiled literal may read
    // them into itself as it is made.
    if (shape.build !== undefined && start < 0) return shape.build(this);
    const keys = shape.keys;
    const object = this.keep(start, {}) as Record<string, unknown>;
    // Assigned only when that defines (see noneInherited); a compiled literal always defines.
    if (noneInherited(keys)) {
      for (let index = 0; index < count; index++) object[keys[index]!] = this.value();
    } else {
      for (let index = 0; index < count; index++) defineOwn(object, keys[index]!, this.value());
    }
    return object;
  }

  private array(start: number): unknown[] {
    const length = this.u32();
    const array = this.keep(start, []) as unknown[];
    const bytes = this.bytes;
    for (let index = 0; index < length; index++) {
      if (bytes[this.at] === tag.HOLE) {
        this.at++;
        // A hole, as in the original: the length grows, no element is created.
        array.length = index + 1;
      } else {
        array.push(this.value());
      }
    }
    this.pairs(array as unknown as Record<string, unknown>);
    return array;
  }

  /** u32 count + (key, value) pairs, defined on `object`. */
  private pairs(object: Record<string, unknown>): void {
    const count = this.u32();
    for (let index = 0; index < count; index++) {
      const key = this.string();
      defineOwn(object, key, this.value());
    }
  }

  private error(start: number): Error {
    const Type = tag.ERROR_TYPES[this.bytes[this.at++]!] ?? Error;
    const flags = this.bytes[this.at++]!;
    const name = this.string();
    const message = (flags & tag.ERROR_MESSAGE) === 0 ? undefined : this.string();
    const error = Type === AggregateError ? new AggregateError([], message) : new (Type as ErrorConstructor)(message);
    if (message === undefined) delete (error as { message?: string }).message;
    if (error.name !== name) Object.defineProperty(error, 'name', hidden(name));
    if ((flags & tag.ERROR_STACK) === 0) delete error.stack;
    else Object.defineProperty(error, 'stack', hidden(this.string()));
    // Registered before its parts are read: an error may be its own cause.
    this.keep(start, error);
    if ((flags & tag.ERROR_CAUSE) !== 0) Object.defineProperty(error, 'cause', hidden(this.value()));
    if ((flags & tag.ERROR_ERRORS) !== 0) Object.defineProperty(error, 'errors', hidden(this.value()));
    this.pairs(error as unknown as Record<string, unknown>);
    return error;
  }
}

/** A non-enumerable own data property, as an Error's own `stack`, `cause` and `errors` are. */
function hidden(value: unknown): PropertyDescriptor {
  const descriptor = ownData(value);
  descriptor.enumerable = false;
  return descriptor;
}

function corrupt(what: string): Error {
  return new Error(`fearless: corrupt value (${what}); two versions of fearless in one process?`);
}
