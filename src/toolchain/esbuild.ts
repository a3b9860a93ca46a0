/**
 * esbuild (bundles, and tsx's per-file output): the helpers it emits when its target lowers a
 * feature — `async` (`__async`), object spread and rest (`__spreadValues`, `__spreadProps`,
 * `__objRest`), `for await` (`__forAwait`), private members (`__privateGet`…), `using`
 * (`__using`, `__callDispose`), class fields (`__publicField`), keepNames (`__name`),
 * CommonJS interop (`__toESM`) — with the same semantics as esbuild's own, and how its output
 * refers to imports. The disposal machinery is tsc.ts's (tslib's algorithm); the async
 * generator helpers it shares with tslib are async-iteration.ts's.
 */
import { __asyncValues } from './async-iteration.js';
import type { Toolchain } from './table.js';
import { __awaiter, __disposeResources, addResource, type DisposeEnv, type DisposeStack } from './tsc.js';

/**
 * esbuild's `async` lowering: `__async(this, arguments, function* () { … yield promise … })`,
 * tslib's `__awaiter` with the global Promise (the same steps as esbuild's own).
 */
export function __async(thisArg: unknown, args: unknown, body: (...args: unknown[]) => Generator): Promise<unknown> {
  return __awaiter(thisArg, args, undefined, body);
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

/** esbuild's keepNames helper. */
export function __name<Target extends object>(target: Target, value: string): Target {
  return Object.defineProperty(target, 'name', { value, configurable: true });
}

/** esbuild's `using` helpers: `__using(stack, value, async)` and `__callDispose(stack, error, hasError)`. */
export function __using<Value>(stack: DisposeStack, value: Value, async?: boolean): Value {
  const env: DisposeEnv = { stack, error: undefined, hasError: false };
  return addResource(env, value, async === true, false);
}

export function __callDispose(stack: DisposeStack, error: unknown, hasError: boolean): unknown {
  return __disposeResources({ stack, error, hasError });
}

/** esbuild's class field helper. */
export function __publicField<Target extends object>(target: Target, key: PropertyKey, value: unknown): unknown {
  Object.defineProperty(target, key, { enumerable: true, configurable: true, writable: true, value });
  return value;
}

/** esbuild's CommonJS interop for `import()` / `import x from` of a CommonJS module. */
export function __toESM(module: unknown, isNodeMode?: boolean): unknown {
  const target: Record<string, unknown> = module !== null && module !== undefined ? (Object.create(Object.getPrototypeOf(module) as object | null) as Record<string, unknown>) : {};
  const isEsModule = typeof module === 'object' && module !== null && (module as { __esModule?: unknown }).__esModule === true;
  if (isNodeMode === true || !isEsModule) Object.defineProperty(target, 'default', { value: module, enumerable: true });
  if (typeof module === 'object' && module !== null) {
    const source = module as Record<string, unknown>;
    for (const key of Object.getOwnPropertyNames(source)) {
      if (!Object.prototype.hasOwnProperty.call(target, key)) Object.defineProperty(target, key, { enumerable: true, get: () => source[key] });
    }
  }
  return target;
}

/**
 * esbuild's output, as a toolchain table entry (table.ts): an import is read through
 * `import_fearless.Mutex` (`import_fearless2`… when names clash: the package's namespace in
 * the worker) or `import_tslib.__awaiter` (the helpers); its `__require` is the calling file's
 * `require`; a binding of another import (`import_node_fs.readFileSync`) is named in the
 * capture error as the import.
 */
export const esbuild: Toolchain = {
  name: 'esbuild (tsx, bundles)',
  helpers: {
    __async,
    __spreadValues,
    __spreadProps,
    __objRest,
    __forAwait,
    __privateGet,
    __privateSet,
    __privateAdd,
    __privateMethod,
    __name,
    __using,
    __callDispose,
    __publicField,
    __toESM,
  },
  bindings: [
    { pattern: String.raw`import_fearless\d*`, reads: 'package' },
    { pattern: String.raw`import_tslib\d*`, reads: 'helpers' },
  ],
  importBindings: 'import_.*',
  provided: [{ name: '__require', loads: true, declared: 'require' }],
};
