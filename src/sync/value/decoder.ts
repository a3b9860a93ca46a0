/** The codec's reading half (see codec.ts). */
import v8 from 'node:v8';
import { reviveHandle, type HandleDescriptor } from '../../wire/handle.js';
import { Tag, viewTypes, type BufferTable, type ViewType } from './tags.js';
import type { ByteReader } from './writer.js';

export class Decoder {
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
