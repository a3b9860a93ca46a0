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
import v8 from 'node:v8';
import { NotCloneableError } from '../../errors.js';
import { describe, isHandle, reviveHandle } from '../../wire/handle.js';
import type { HandleDescriptor } from '../../wire/handle.js';
import { ByteReader, ByteWriter } from './writer.js';

/** Where a value's SharedArrayBuffers are registered: ids are stable across threads. */
export interface BufferTable {
  /** The id of `buffer`, registering it if new. */
  idOf(buffer: SharedArrayBuffer): number;
  /** The buffer registered as `id` (fetched from the thread that registered it if needed). */
  bufferAt(id: number): SharedArrayBuffer;
}

const enum Tag {
  Undefined = 0,
  Null,
  False,
  True,
  Int,
  Float,
  String,
  BigInt,
  Array,
  Object,
  Map,
  Set,
  Date,
  V8Blob,
  SharedBuffer,
  SharedView,
  Handle,
  BackReference,
}

/** Typed array constructors by stable index, so a view's type crosses as one byte. */
const viewTypes = [
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array, DataView,
] as const;

type ViewType = new (buffer: SharedArrayBuffer, byteOffset: number, length: number) => ArrayBufferView;

const blobTypes: readonly (abstract new (...args: never) => unknown)[] = [RegExp, Error, ArrayBuffer];

function describeKind(value: object): string {
  if (typeof value === 'function') return 'functions cannot cross a worker boundary';
  if (value instanceof Promise) return 'a Promise cannot cross a worker boundary (await it first)';
  if (value instanceof WeakMap || value instanceof WeakSet || value instanceof WeakRef) {
    return 'WeakMap, WeakSet and WeakRef cannot cross a worker boundary';
  }
  const name = (value.constructor as { name?: unknown } | undefined)?.name;
  return `an instance of class ${typeof name === 'string' ? name : '(anonymous)'} cannot cross a worker boundary (only plain data and this package's handles can; its methods would be lost)`;
}

class Encoder {
  private readonly seen = new Map<object, number>();

  constructor(private readonly out: ByteWriter, private readonly table: BufferTable, private readonly where: string) {}

  value(value: unknown, path: string): void {
    const out = this.out;
    switch (typeof value) {
      case 'undefined': out.u8(Tag.Undefined); return;
      case 'boolean': out.u8(value ? Tag.True : Tag.False); return;
      case 'number':
        if ((value | 0) === value && !Object.is(value, -0)) {
          out.u8(Tag.Int);
          out.i32(value);
        } else {
          out.u8(Tag.Float);
          out.f64(value);
        }
        return;
      case 'string': out.u8(Tag.String); out.string(value); return;
      case 'bigint': out.u8(Tag.BigInt); out.string(value.toString(16)); return;
      case 'symbol': throw new NotCloneableError(path, 'symbols cannot cross a worker boundary', this.where);
      case 'function': throw new NotCloneableError(path, describeKind(value), this.where);
      default: break;
    }
    if (value === null) {
      out.u8(Tag.Null);
      return;
    }
    const object = value as object;
    const earlier = this.seen.get(object);
    if (earlier !== undefined) {
      out.u8(Tag.BackReference);
      out.u32(earlier);
      return;
    }
    this.seen.set(object, this.seen.size);
    this.object(object, path);
  }

  private object(value: object, path: string): void {
    const out = this.out;
    if (Array.isArray(value)) {
      out.u8(Tag.Array);
      out.u32(value.length);
      for (let index = 0; index < value.length; index++) this.value(value[index], `${path}[${index}]`);
      return;
    }
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype === Object.prototype || prototype === null) {
      const keys = Object.keys(value);
      out.u8(Tag.Object);
      out.u32(keys.length);
      for (const key of keys) {
        out.string(key);
        this.value((value as Record<string, unknown>)[key], `${path}.${key}`);
      }
      return;
    }
    if (value instanceof SharedArrayBuffer) {
      out.u8(Tag.SharedBuffer);
      out.u32(this.table.idOf(value));
      return;
    }
    if (ArrayBuffer.isView(value)) {
      if (value.buffer instanceof SharedArrayBuffer) {
        this.sharedView(value, path);
        return;
      }
      this.blob(value);
      return;
    }
    if (value instanceof Map) {
      out.u8(Tag.Map);
      out.u32(value.size);
      let index = 0;
      for (const [key, item] of value as Map<unknown, unknown>) {
        this.value(key, `${path}.<key ${index}>`);
        this.value(item, `${path}.get(${index++})`);
      }
      return;
    }
    if (value instanceof Set) {
      out.u8(Tag.Set);
      out.u32(value.size);
      let index = 0;
      for (const item of value as Set<unknown>) this.value(item, `${path}.<item ${index++}>`);
      return;
    }
    if (value instanceof Date) {
      out.u8(Tag.Date);
      out.f64(value.getTime());
      return;
    }
    if (isHandle(value)) {
      this.handle(value[describe](), path);
      return;
    }
    if (blobTypes.some((type) => value instanceof type)) {
      this.blob(value);
      return;
    }
    throw new NotCloneableError(path, describeKind(value), this.where);
  }

  private sharedView(view: ArrayBufferView, path: string): void {
    const type = viewTypes.findIndex((candidate) => view instanceof candidate);
    if (type < 0) throw new NotCloneableError(path, 'unknown kind of typed array', this.where);
    const out = this.out;
    out.u8(Tag.SharedView);
    out.u8(type);
    out.u32(this.table.idOf(view.buffer as SharedArrayBuffer));
    out.u32(view.byteOffset);
    out.u32(view instanceof DataView ? view.byteLength : (view as Uint8Array).length);
  }

  private handle(descriptor: HandleDescriptor, path: string): void {
    if (descriptor.data['shared'] !== true) {
      throw new NotCloneableError(
        path,
        `a ${descriptor.kind} handle cannot be stored in shared state (only Sync handles such as Mutex, Arc and atomics can); send it through a channel or move it into spawn instead`,
        this.where,
      );
    }
    const out = this.out;
    out.u8(Tag.Handle);
    out.string(descriptor.kind);
    out.u32(descriptor.buffers.length);
    for (const buffer of descriptor.buffers) out.u32(this.table.idOf(buffer));
    // Descriptor data is flat primitives by contract, so the ordinary walk encodes it.
    this.value(descriptor.data, `${path}.<descriptor>`);
  }

  private blob(value: object): void {
    this.out.u8(Tag.V8Blob);
    this.out.raw(v8.serialize(value));
  }
}

class Decoder {
  private readonly objects: unknown[] = [];

  constructor(private readonly input: ByteReader, private readonly table: BufferTable) {}

  value(): unknown {
    const input = this.input;
    const tag = input.u8() as Tag;
    switch (tag) {
      case Tag.Undefined: return undefined;
      case Tag.Null: return null;
      case Tag.False: return false;
      case Tag.True: return true;
      case Tag.Int: return input.i32();
      case Tag.Float: return input.f64();
      case Tag.String: return input.string();
      case Tag.BigInt: return hexToBigInt(input.string());
      case Tag.BackReference: return this.objects[input.u32()];
      default: return this.object(tag);
    }
  }

  private object(tag: Tag): unknown {
    const input = this.input;
    switch (tag) {
      case Tag.Array: {
        const result: unknown[] = [];
        this.objects.push(result);
        const length = input.u32();
        for (let index = 0; index < length; index++) result.push(this.value());
        return result;
      }
      case Tag.Object: {
        const result: Record<string, unknown> = {};
        this.objects.push(result);
        const count = input.u32();
        for (let index = 0; index < count; index++) {
          const key = input.string();
          result[key] = this.value();
        }
        return result;
      }
      case Tag.Map: {
        const result = new Map<unknown, unknown>();
        this.objects.push(result);
        const size = input.u32();
        for (let index = 0; index < size; index++) {
          const key = this.value();
          result.set(key, this.value());
        }
        return result;
      }
      case Tag.Set: {
        const result = new Set<unknown>();
        this.objects.push(result);
        const size = input.u32();
        for (let index = 0; index < size; index++) result.add(this.value());
        return result;
      }
      default: {
        // Reserve the index first: a handle's descriptor data, decoded inside leaf(), comes
        // after the handle in the encoder's numbering.
        const index = this.objects.push(undefined) - 1;
        const value = this.leaf(tag);
        this.objects[index] = value;
        return value;
      }
    }
  }

  private leaf(tag: Tag): unknown {
    const input = this.input;
    switch (tag) {
      case Tag.Date: return new Date(input.f64());
      case Tag.V8Blob: return v8.deserialize(input.raw());
      case Tag.SharedBuffer: return this.table.bufferAt(input.u32());
      case Tag.SharedView: {
        const type = viewTypes[input.u8()] as ViewType;
        const buffer = this.table.bufferAt(input.u32());
        const offset = input.u32();
        return new type(buffer, offset, input.u32());
      }
      case Tag.Handle: {
        const kind = input.string();
        const count = input.u32();
        const buffers: SharedArrayBuffer[] = [];
        for (let index = 0; index < count; index++) buffers.push(this.table.bufferAt(input.u32()));
        // Handle data is encoded by this codec as a flat object of primitives.
        const data = this.value() as HandleDescriptor['data'];
        return reviveHandle({ kind, buffers, data });
      }
      default:
        throw new Error(`fearless: corrupt shared value (unknown tag ${String(tag)}); two versions of fearless in one process?`);
    }
  }

}

function hexToBigInt(hex: string): bigint {
  return hex.startsWith('-') ? -BigInt(`0x${hex.slice(1)}`) : BigInt(`0x${hex}`);
}

const scratch = new ByteWriter();

/**
 * Encodes `value` into this thread's scratch writer and returns it (valid until the next
 * encode). `where` names the value in errors (`'Mutex value'`).
 */
export function encodeValue(value: unknown, table: BufferTable, where: string): ByteWriter {
  scratch.reset();
  new Encoder(scratch, table, where).value(value, '');
  return scratch;
}

export function decodeValue(view: DataView, offset: number, table: BufferTable): unknown {
  return new Decoder(new ByteReader(view, offset), table).value();
}
