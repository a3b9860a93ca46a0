/* eslint-disable @typescript-eslint/prefer-promise-reject-errors -- a generator may throw anything; these helpers pass it on unchanged, as the emitted ones do */
/**
 * The helpers esbuild emits (into bundles, and in tsx's per-file output) when its target lowers
 * a feature: `async` (`__async`), object spread and rest (`__spreadValues`, `__spreadProps`,
 * `__objRest`), `for await` (`__forAwait`) and private members (`__privateGet`…). Same
 * semantics as esbuild's own; the ones shared with tslib (`__asyncGenerator`, `__await`,
 * `__using`, `__name`…) are in helpers.ts and helpers-async-iteration.ts.
 */
import { __asyncValues } from './helpers-async-iteration.js';

/** esbuild's `async` lowering: `__async(this, arguments, function* () { … yield promise … })`. */
export function __async(thisArg: unknown, args: unknown, body: (...args: unknown[]) => Generator): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const generator = body.apply(thisArg, (args as unknown[] | null) ?? []);
    const step = (result: IteratorResult<unknown>) => {
      if (result.done === true) resolve(result.value);
      else Promise.resolve(result.value).then(fulfilled, rejected);
    };
    const fulfilled = (value: unknown) => {
      try {
        step(generator.next(value));
      } catch (error) {
        reject(error);
      }
    };
    const rejected = (error: unknown) => {
      try {
        step(generator.throw(error));
      } catch (thrown) {
        reject(thrown);
      }
    };
    fulfilled(undefined);
  });
}

function defineValue(target: Record<PropertyKey, unknown>, key: PropertyKey, value: unknown): void {
  if (key in target) Object.defineProperty(target, key, { enumerable: true, configurable: true, writable: true, value });
  else target[key] = value;
}

/** `{ ...a, ...b }` below ES2018: own enumerable properties of `source`, symbols included. */
export function __spreadValues(target: Record<PropertyKey, unknown>, source: unknown): Record<PropertyKey, unknown> {
  const from = (source ?? {}) as Record<PropertyKey, unknown>;
  for (const key in from) if (Object.prototype.hasOwnProperty.call(from, key)) defineValue(target, key, from[key]);
  for (const symbol of Object.getOwnPropertySymbols(from)) {
    if (Object.prototype.propertyIsEnumerable.call(from, symbol)) defineValue(target, symbol, from[symbol]);
  }
  return target;
}

/** `{ ...a, b }`: the properties after a spread, as esbuild emits them. */
export function __spreadProps(target: object, source: object): object {
  return Object.defineProperties(target, Object.getOwnPropertyDescriptors(source));
}

/** `const { a, ...rest } = o` below ES2018. */
export function __objRest(source: unknown, exclude: PropertyKey[]): Record<PropertyKey, unknown> {
  const target: Record<PropertyKey, unknown> = {};
  const from = source as Record<PropertyKey, unknown>;
  for (const key in from) if (Object.prototype.hasOwnProperty.call(from, key) && !exclude.includes(key)) target[key] = from[key];
  if (source !== null && source !== undefined) {
    for (const symbol of Object.getOwnPropertySymbols(from)) {
      if (!exclude.includes(symbol) && Object.prototype.propertyIsEnumerable.call(from, symbol)) target[symbol] = from[symbol];
    }
  }
  return target;
}

/** `for await (const x of source)` below ES2018: the async iterator, or the sync one lifted. */
export function __forAwait(source: object): AsyncIterator<unknown> {
  return __asyncValues(source);
}

type Member = WeakMap<object, unknown> | WeakSet<object>;
function checkAccess(receiver: object, member: Member, action: string): void {
  if (!member.has(receiver)) throw new TypeError(`Cannot ${action}`);
}

/** `this.#field` (esbuild): a WeakMap per field, a WeakSet per class for methods and accessors. */
export function __privateGet(receiver: object, member: Member, getter?: (this: object) => unknown): unknown {
  checkAccess(receiver, member, 'read from private field');
  return getter !== undefined ? getter.call(receiver) : (member as WeakMap<object, unknown>).get(receiver);
}

export function __privateSet(receiver: object, member: Member, value: unknown, setter?: (this: object, value: unknown) => void): unknown {
  checkAccess(receiver, member, 'write to private field');
  if (setter !== undefined) setter.call(receiver, value);
  else (member as WeakMap<object, unknown>).set(receiver, value);
  return value;
}

export function __privateAdd(receiver: object, member: Member, value?: unknown): void {
  if (member.has(receiver)) throw new TypeError('Cannot add the same private member more than once');
  if (member instanceof WeakSet) member.add(receiver);
  else member.set(receiver, value);
}

export function __privateMethod<Method>(receiver: object, member: Member, method: Method): Method {
  checkAccess(receiver, member, 'access private method');
  return method;
}
