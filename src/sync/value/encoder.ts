/** The codec's writing half: one walk that checks, and encodes, a value (see codec.ts). */
import v8 from 'node:v8';
import { NotCloneableError } from '../../errors.js';
import { describe, isHandle, type HandleDescriptor } from '../../wire/handle.js';
import { Tag, blobTypes, viewTypes, type BufferTable } from './tags.js';
import type { ByteWriter } from './writer.js';

function describeKind(value: object): string {
  if (typeof value === 'function') return 'functions cannot cross a worker boundary';
  if (value instanceof Promise) return 'a Promise cannot cross a worker boundary (await it first)';
  if (value instanceof WeakMap || value instanceof WeakSet || value instanceof WeakRef) {
    return 'WeakMap, WeakSet and WeakRef cannot cross a worker boundary';
  }
  const name = (value.constructor as { name?: unknown } | undefined)?.name;
  return `an instance of class ${typeof name === 'string' ? name : '(anonymous)'} cannot cross a worker boundary (only plain data and this package's handles can; its methods would be lost)`;
}

export class Encoder {
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
