/**
 * How a value crosses to another thread through postMessage: handles become descriptors,
 * ArrayBuffers join the transfer list (so the sender's copy is detached, as a move should),
 * SharedArrayBuffers stay shared, and anything the structured clone algorithm would refuse or
 * silently damage is reported with the path to it (`.items[1].cb`) before anything is moved.
 */
import type { TransferListItem } from 'node:worker_threads';
import { NotCloneableError } from '../errors.js';
import { currentTask } from './context.js';
import { isSharedMapView } from '../sync/arc/shared-map-view.js';
import { describe, isHandle, moved, reviveHandle, type Handle, type HandleDescriptor } from './handle.js';

/** Marks a payload that contains handle descriptors, so plain payloads are never re-walked. */
const WITH_HANDLES = '\u0000fearless.withHandles';
/** Wraps one handle descriptor inside a payload. */
const HANDLE = '\u0000fearless.handle';

interface HandleSlot {
  readonly [HANDLE]: HandleDescriptor;
}
interface WithHandles {
  readonly [WITH_HANDLES]: unknown;
}

/** A value ready for postMessage. */
export interface Encoded {
  /** Structured-cloneable: no functions, handles replaced by descriptors. */
  readonly payload: unknown;
  /** ArrayBuffers to transfer (detached here once sent). */
  readonly transfer: TransferListItem[];
  /** Send-only handles that move with the value; `commitMove` retires them after sending. */
  readonly moves: Handle[];
}

type Reject = (path: string, reason: string) => never;

const plainPrototypes = new Set<unknown>([Object.prototype, null]);

/**
 * Encodes `value`; throws NotCloneableError naming the path (and `where`) of a part that cannot
 * cross. With `asArguments`, `value` is an argument list and paths start at each argument
 * (`move() argument 2 at .items[1].cb`).
 */
export function encode(value: unknown, where: string, { asArguments = false }: { asArguments?: boolean } = {}): Encoded {
  const transfer = new Set<ArrayBuffer>();
  const moves: Handle[] = [];
  const seen = new Map<object, unknown>();
  let place = where;
  const reject: Reject = (path, reason) => {
    throw new NotCloneableError(path, reason, place);
  };
  let handles = 0;

  const visit = (current: unknown, path: string): unknown => {
    switch (typeof current) {
      case 'string':
      case 'number':
      case 'boolean':
      case 'bigint':
      case 'undefined':
        return current;
      case 'symbol':
        return reject(path, 'symbols cannot be cloned');
      case 'function':
        return reject(path, `functions cannot cross a worker boundary (${describeFunction(current as (...args: never) => unknown)})`);
    }
    if (current === null) return null;
    const object = current as object;
    if (seen.has(object)) return seen.get(object);

    if (isHandle(object)) {
      const descriptor = object[describe]();
      if (descriptor.data.shared !== true && typeof object[moved] === 'function') {
        if (moves.includes(object)) reject(path, 'the same handle is moved twice in one value');
        moves.push(object);
      }
      handles++;
      const slot: HandleSlot = { [HANDLE]: descriptor };
      seen.set(object, slot);
      return slot;
    }
    if (Array.isArray(object)) {
      const copy: unknown[] = [];
      seen.set(object, copy);
      let changed = false;
      for (let index = 0; index < object.length; index++) {
        const item: unknown = object[index];
        const next = visit(item, `${path}[${index}]`);
        if (next !== item) changed = true;
        copy.push(next);
      }
      return settle(object, copy, changed);
    }
    const prototype: unknown = Object.getPrototypeOf(object);
    if (plainPrototypes.has(prototype)) return visitRecord(object as Record<string, unknown>, path);
    if (object instanceof ArrayBuffer) {
      transfer.add(object);
      return object;
    }
    if (ArrayBuffer.isView(object)) {
      if (object.buffer instanceof ArrayBuffer) transfer.add(object.buffer);
      return object;
    }
    if (object instanceof SharedArrayBuffer || object instanceof Date || object instanceof RegExp) return object;
    if (object instanceof Map) {
      const copy = new Map<unknown, unknown>();
      seen.set(object, copy);
      let changed = false;
      for (const [key, item] of object) {
        const label = typeof key === 'string' ? JSON.stringify(key) : typeof key === 'number' ? String(key) : '…';
        const nextKey = visit(key, `${path}.keys()`);
        const nextItem = visit(item, `${path}.get(${label})`);
        if (nextKey !== key || nextItem !== item) changed = true;
        copy.set(nextKey, nextItem);
      }
      // An Arc's Map view keeps its entries in shared memory, not in the Map storage that
      // postMessage copies: always send the copy made from its entries.
      return settle(object, copy, changed || isSharedMapView(object));
    }
    if (object instanceof Set) {
      const copy = new Set<unknown>();
      seen.set(object, copy);
      let changed = false;
      for (const item of object) {
        const next = visit(item, `${path}.values()`);
        if (next !== item) changed = true;
        copy.add(next);
      }
      return settle(object, copy, changed);
    }
    if (object instanceof Error) {
      for (const key of Object.keys(object)) visit((object as unknown as Record<string, unknown>)[key], `${path}.${key}`);
      if (hasMethods(prototype, Error.prototype)) reject(path, `an instance of ${className(object)} has methods, which a clone loses`);
      return object;
    }
    if (object instanceof Boolean || object instanceof Number || object instanceof String) return object;
    if (object instanceof Promise || typeof (object as { then?: unknown }).then === 'function') {
      return reject(path, 'a Promise or thenable cannot cross a worker boundary (await it first and send the result)');
    }
    if (object instanceof WeakMap || object instanceof WeakSet || object instanceof WeakRef) {
      return reject(path, `a ${className(object)} cannot cross a worker boundary`);
    }
    if (hasMethods(prototype, Object.prototype)) {
      return reject(path, `an instance of ${className(object)} has methods, which a clone loses (send plain data)`);
    }
    // A class instance with fields only: it crosses as a plain object, as structured clone does.
    return visitRecord(object as Record<string, unknown>, path);
  };

  const visitRecord = (object: Record<string, unknown>, path: string): unknown => {
    const copy: Record<string, unknown> = {};
    seen.set(object, copy);
    let changed = false;
    for (const key of Object.keys(object)) {
      const item = object[key];
      const next = visit(item, `${path}${isIdentifier(key) ? `.${key}` : `[${JSON.stringify(key)}]`}`);
      if (next !== item) changed = true;
      copy[key] = next;
    }
    if (Object.getOwnPropertySymbols(object).length > 0) {
      // Structured clone drops symbol keys silently; brands such as notSend are a type-level
      // promise, and a value carrying one at run time was meant to stay on its thread.
      const symbol = Object.getOwnPropertySymbols(object)[0]!;
      reject(`${path}[${symbol.toString()}]`, 'symbol-keyed properties cannot be cloned');
    }
    return settle(object, copy, changed);
  };

  /** Keep the original object unless a handle somewhere below it had to be replaced. */
  const settle = (original: object, copy: unknown, changed: boolean): unknown => {
    const result = changed ? copy : original;
    seen.set(original, result);
    return result;
  };

  let walked: unknown;
  if (asArguments && Array.isArray(value)) {
    const copy: unknown[] = [];
    let changed = false;
    value.forEach((item: unknown, index) => {
      place = `${where} argument ${index + 1}`;
      const next = visit(item, '');
      if (next !== item) changed = true;
      copy.push(next);
    });
    walked = changed ? copy : value;
  } else {
    walked = visit(value, '');
  }
  const payload: unknown = handles === 0 ? walked : ({ [WITH_HANDLES]: walked } satisfies WithHandles);
  return { payload, transfer: [...transfer], moves };
}

/** After a successful send: the moved handles are unusable here and leave the running task. */
export function commitMove(encoded: Encoded): void {
  const task = currentTask();
  for (const handle of encoded.moves) {
    handle[moved]?.();
    task?.release(handle);
  }
}

/** Turns a payload received from another thread back into a value, reviving its handles. */
export function decode(payload: unknown): unknown {
  if (typeof payload !== 'object' || payload === null || !(WITH_HANDLES in payload)) return payload;
  const revived = new Map<object, unknown>();
  const visit = (current: unknown): unknown => {
    if (typeof current !== 'object' || current === null) return current;
    if (revived.has(current)) return revived.get(current);
    if (HANDLE in current) {
      const handle = reviveHandle((current as HandleSlot)[HANDLE]);
      revived.set(current, handle);
      return handle;
    }
    revived.set(current, current);
    if (Array.isArray(current)) {
      for (let index = 0; index < current.length; index++) current[index] = visit(current[index]);
    } else if (current instanceof Map) {
      const entries = [...current.entries()];
      current.clear();
      for (const [key, item] of entries) current.set(visit(key), visit(item));
    } else if (current instanceof Set) {
      const items = [...current];
      current.clear();
      for (const item of items) current.add(visit(item));
    } else if (Object.getPrototypeOf(current) === Object.prototype) {
      const record = current as Record<string, unknown>;
      for (const key of Object.keys(record)) record[key] = visit(record[key]);
    }
    return current;
  };
  return visit((payload as WithHandles)[WITH_HANDLES]);
}

function hasMethods(prototype: unknown, stopAt: object): boolean {
  for (let current = prototype; current !== null && current !== stopAt && current !== Object.prototype; current = Object.getPrototypeOf(current)) {
    for (const key of Object.getOwnPropertyNames(current)) {
      if (key === 'constructor') continue;
      const property = Object.getOwnPropertyDescriptor(current, key);
      if (property !== undefined && (typeof property.value === 'function' || property.get !== undefined)) return true;
    }
  }
  return false;
}

function className(object: object): string {
  const constructor = (object as { constructor?: { name?: unknown } }).constructor;
  return typeof constructor?.name === 'string' && constructor.name !== '' ? constructor.name : 'an anonymous class';
}

function describeFunction(fn: (...args: never) => unknown): string {
  return fn.name === '' ? 'an anonymous function' : `function ${fn.name}`;
}

function isIdentifier(key: string): boolean {
  return /^[A-Za-z_$][\w$]*$/.test(key);
}
