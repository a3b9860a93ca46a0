/**
 * The encoder's built-ins (Map, Set, Date, RegExp, Error, boxed primitives, buffers, views,
 * handles) and its refusals of what cannot cross; the walk itself is in encode.ts.
 */
import { addedToHandle, describe, isHandle, type Handle } from '../wire/handle.js';
import { trackSent } from '../wire/context.js';
import { DETACHED_REASON, PROMISE_REASON, Refusal, SYMBOL_REASON, addedToHandleReason, hasMethods, isDetached, methodsReason, weakReason, within } from './refuse.js';
import type { EncodeTarget } from './target.js';
import * as tag from './tags.js';
import { ByteWriter } from './writer.js';
import { isCopiedByEntries } from './entries-map.js';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export abstract class BuiltinWriter extends ByteWriter {
  protected target: EncodeTarget | undefined;

  abstract value(value: unknown): void;
  protected abstract object(value: object): void;
  protected abstract fields(value: Record<string, unknown>, kind: number): void;
  protected abstract pairs(value: Record<string, unknown>, keys: readonly string[], from: number): void;

  protected special(value: object, prototype: object): void {
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
      // An Arc's Map view is read through its methods: its Map storage is empty (entries-map.ts).
      if (!isCopiedByEntries(value)) this.checkSubclass(value, prototype, Map.prototype);
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
      (own('errors') ? tag.ERROR_ERRORS : 0);
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
    const added = addedToHandle(value);
    if (added !== undefined) throw new Refusal(addedToHandleReason(value, added));
    const descriptor = value[describe]();
    const refused = this.target!.acceptHandle(value, descriptor);
    if (refused !== undefined) throw new Refusal(refused);
    // Before the message can leave: the main thread learns of state made here (context.ts ownNew).
    trackSent(value, descriptor);
    this.u8(tag.HANDLE);
    this.string(descriptor.kind);
    this.u32(descriptor.buffers.length);
    for (const buffer of descriptor.buffers) this.u32(this.target!.sharedId(buffer));
    this.fields(descriptor.data, tag.OBJECT);
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

export function keySegment(key: string): string {
  return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function describeKey(key: unknown): string {
  if (typeof key === 'string') return JSON.stringify(key);
  if (typeof key === 'number' || typeof key === 'boolean' || typeof key === 'bigint' || key === undefined || key === null) return String(key);
  return '…';
}

