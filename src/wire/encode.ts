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
import { describe, isHandle, moved, type Handle } from './handle.js';
import { ERROR, HANDLE, WITH_HANDLES, errorBases, type ErrorParts, type ErrorSlot, type HandleSlot, type WithHandles } from './payload-tags.js';

export { decode } from './decode.js';

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
  // The hot path of spawn and of every channel message: a primitive needs no walk at all.
  if (value === null || (typeof value !== 'object' && typeof value !== 'function' && typeof value !== 'symbol')) {
    return { payload: value, transfer: [], moves: [] };
  }
  const transfer = new Set<ArrayBuffer>();
  const moves: Handle[] = [];
  const seen = new Map<object, unknown>();
  let place = where;
  const reject: Reject = (path, reason) => {
    throw new NotCloneableError(path, reason, place);
  };
  /** Parts that decode must revive: handles and errors. */
  let revivals = 0;

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
        // A second sight of the same object is answered from `seen` above: one move per handle.
        moves.push(object);
      }
      revivals++;
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
      if (isDetached(object)) reject(path, detachedReason);
      transfer.add(object);
      return object;
    }
    if (ArrayBuffer.isView(object)) {
      if (object.buffer instanceof ArrayBuffer) {
        if (isDetached(object.buffer)) reject(path, `the view's ${detachedReason}`);
        transfer.add(object.buffer);
      }
      return object;
    }
    if (object instanceof SharedArrayBuffer) return object;
    if (object instanceof Date || object instanceof RegExp || object instanceof Map || object instanceof Set) {
      // A subclass that adds methods would arrive as the bare built-in, without them.
      const base: object = object instanceof Map ? Map.prototype : object instanceof Set ? Set.prototype : object instanceof Date ? Date.prototype : RegExp.prototype;
      // (An Arc's Map view is the exception: it is sent as a real Map made from its entries.)
      if (prototype !== base && !isSharedMapView(object) && hasMethods(prototype, base)) {
        reject(path, `an instance of ${className(object)} has methods, which a clone loses (send plain data)`);
      }
    }
    if (object instanceof Date || object instanceof RegExp) return object;
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
      if (hasMethods(prototype, Error.prototype)) reject(path, `an instance of ${className(object)} has methods, which a clone loses`);
      const base = errorBases.find((constructor) => object instanceof constructor)?.name ?? 'Error';
      const hasCause = Object.prototype.hasOwnProperty.call(object, 'cause');
      const parts: ErrorParts = { base, name: object.name, message: object.message, stack: object.stack, hasCause, cause: undefined, fields: {} };
      const slot: ErrorSlot = { [ERROR]: parts };
      seen.set(object, slot);
      revivals++;
      if (hasCause) parts.cause = visit(object.cause, `${path}.cause`);
      for (const key of Object.keys(object)) {
        if (key === 'cause') continue;
        parts.fields[key] = visit((object as unknown as Record<string, unknown>)[key], `${path}${isIdentifier(key) ? `.${key}` : `[${JSON.stringify(key)}]`}`);
      }
      return slot;
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
  const payload: unknown = revivals === 0 ? walked : ({ [WITH_HANDLES]: walked } satisfies WithHandles);
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

/**
 * Commits a move before the send, for work that may wait in a queue: the sender's ArrayBuffers
 * are detached at once (their contents now belong to the returned payload, which transfers its
 * own buffers when it is finally posted) and send-only handles are marked moved. So what the
 * sender sees after `spawn(move(buffer), …)` does not depend on whether a thread was free.
 */
export function handOver(encoded: Encoded): Encoded {
  let result = encoded;
  if (encoded.transfer.length > 0) {
    // Cloned together, the list and the payload share the new buffers: the list is the
    // payload's own transfer list, with no second walk.
    const clone = structuredClone({ payload: encoded.payload, transfer: encoded.transfer }, { transfer: encoded.transfer });
    result = { payload: clone.payload, transfer: clone.transfer, moves: encoded.moves };
  }
  commitMove(encoded);
  return result;
}



const detachedReason = 'ArrayBuffer is detached (it was already moved to another thread)';

/** Detached buffers report length 0; telling them from empty ones costs a throw, only then. */
function isDetached(buffer: ArrayBuffer): boolean {
  if (buffer.byteLength !== 0) return false;
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
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
