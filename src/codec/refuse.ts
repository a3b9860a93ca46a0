/**
 * What cannot cross, and why, in the same words on every path. The codec refuses exactly what
 * structuredClone refuses (functions, symbols, Promises, WeakMap/WeakSet/WeakRef, a Symbol
 * object, a detached ArrayBuffer) plus one rule of this package: an instance of a class that
 * declares methods (or getters), whose clone would silently lose them; the compile-time
 * `Send<T>` check says the same. The words are the marker types' (src/marker/reasons.ts), naming
 * the value where a type cannot.
 */
import { NotCloneableError } from '../errors.js';
import { RUNTIME_REASONS } from '../marker/reasons.js';

/** Thrown inside the walk; each container on the way out adds its path segment. */
export class Refusal extends Error {
  readonly segments: string[] = [];
  constructor(readonly reason: string) {
    super(reason);
  }

  /** Adds the segment of the container the refused part is in (innermost first). */
  within(segment: string): this {
    this.segments.push(segment);
    return this;
  }

  /** The public error, naming the path from the top of the value and the place it was going to. */
  toError(where: string, prefix = '', asArguments = false): NotCloneableError {
    const segments = [...this.segments].reverse();
    let place = where;
    if (asArguments && segments.length > 0) {
      // `[1]` of an argument list is `argument 2`.
      place = `${where} argument ${Number(segments.shift()!.slice(1, -1)) + 1}`;
    }
    return new NotCloneableError(prefix + segments.join(''), this.reason, place);
  }
}

/** Adds `segment` to a Refusal on its way out; anything else (a user getter's throw) passes. */
export function within(error: unknown, segment: string): unknown {
  return error instanceof Refusal ? error.within(segment) : error;
}

export function functionReason(fn: (...args: never) => unknown): string {
  return RUNTIME_REASONS.function(fn.name === '' ? 'an anonymous function' : `function ${fn.name}`);
}

export const SYMBOL_REASON: string = RUNTIME_REASONS.symbol;
export const PROMISE_REASON: string = RUNTIME_REASONS.thenable;
export const DETACHED_REASON: string = RUNTIME_REASONS.detached;

export function weakReason(value: object): string {
  return RUNTIME_REASONS.weak(className(value));
}

export function methodsReason(value: object): string {
  return RUNTIME_REASONS.methods(className(value));
}

export function className(value: object): string {
  const constructor = (value as { constructor?: { name?: unknown } }).constructor;
  return typeof constructor?.name === 'string' && constructor.name !== '' ? constructor.name : 'an anonymous class';
}

const methodsBelow = new WeakMap<object, boolean>();

/** Whether the prototype chain from `prototype` up to `stopAt` declares a method or accessor. */
export function hasMethods(prototype: object | null, stopAt: object): boolean {
  if (prototype === null || prototype === stopAt) return false;
  const known = methodsBelow.get(prototype);
  if (known !== undefined) return known;
  let found = false;
  for (let link: object | null = prototype; link !== null && link !== stopAt && link !== Object.prototype; link = Object.getPrototypeOf(link) as object | null) {
    for (const name of Object.getOwnPropertyNames(link)) {
      if (name === 'constructor') continue;
      const descriptor = Object.getOwnPropertyDescriptor(link, name);
      if (descriptor !== undefined && (typeof descriptor.value === 'function' || descriptor.get !== undefined || descriptor.set !== undefined)) found = true;
    }
  }
  // Keyed by prototype alone: `stopAt` is always the built-in base of the same kind of object.
  methodsBelow.set(prototype, found);
  return found;
}

/** Detached buffers report length 0; telling them from empty ones costs a throw, only then. */
export function isDetached(buffer: ArrayBuffer): boolean {
  if (buffer.byteLength !== 0) return false;
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
}

/** Shared state (a lock's value, an Arc) holds only Sync handles: a send-only one has one owner. */
export function sharedStateHandleReason(descriptor: { readonly kind: string; readonly data: Readonly<Record<string, unknown>> }): string | undefined {
  if (descriptor.data['shared'] === true) return undefined;
  return RUNTIME_REASONS.lockedHandle(descriptor.kind);
}

/** A user subclass of a handle that adds a member: the handle crosses bare. */
export function addedToHandleReason(value: object, added: { readonly member: string; readonly handleClass: string }): string {
  return RUNTIME_REASONS.addedToHandle(className(value), added.handleClass, added.member);
}
