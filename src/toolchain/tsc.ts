/* eslint-disable @typescript-eslint/prefer-promise-reject-errors -- a disposer may throw anything; these helpers pass it on unchanged, as the emitted ones do */
/**
 * TypeScript's compiler (tsc): the tslib helpers it emits into compiled modules (or imports
 * from tslib with `importHelpers`), for a closure that was compiled with them and now runs in a
 * worker where the module that defined them does not exist — our own implementations, with the
 * same semantics as the emitted ones — and how its CommonJS output refers to imports.
 * The async-generator helpers are in async-iteration.ts; the disposal machinery here is shared
 * with esbuild's `__using` (esbuild.ts) and vite's `usingCtx` (vite.ts).
 */
import { createRequire } from '#platform';
import { InvalidArgumentError } from '../errors.js';
import type { Toolchain } from './table.js';

type Disposer = () => unknown;
/** An `await using` entry (whose disposer may be missing: `await using x = null`). */
interface AsyncEntry {
  readonly value: unknown;
  readonly dispose: Disposer | undefined;
}
/**
 * What the emitted code's `env.stack` holds, private to these helpers (the emitted code only
 * makes the array and hands it back): a plain `using` pushes its value then its disposer, two
 * slots and no object, since a `using` in a hot loop paid most of its cost in allocations; an
 * `await using` pushes one {@link AsyncEntry}. So the top of the stack is a disposer (a sync
 * entry, its value below it) or an AsyncEntry.
 */
export type DisposeStack = unknown[];
export interface DisposeEnv {
  stack: DisposeStack;
  error: unknown;
  hasError: boolean;
}

function suppressed(error: unknown, suppressedError: unknown, message: string): Error {
  const Native = (globalThis as { SuppressedError?: new (error: unknown, suppressed: unknown, message: string) => Error }).SuppressedError;
  if (Native !== undefined) return new Native(error, suppressedError, message);
  const made = new Error(message) as Error & { error: unknown; suppressed: unknown };
  made.name = 'SuppressedError';
  made.error = error;
  made.suppressed = suppressedError;
  return made;
}

function fail(env: DisposeEnv, error: unknown): void {
  env.error = env.hasError ? suppressed(error, env.error, 'An error was suppressed during disposal.') : error;
  env.hasError = true;
}

/** `using x = value` / `await using`: remember the disposer (tslib's __addDisposableResource). */
export function __addDisposableResource<Value>(env: DisposeEnv, value: Value, async: boolean): Value {
  return addResource(env, value, async, true);
}

/**
 * `fresh`: `env.stack` is ours to replace (tsc's env, made for this block), so a first entry
 * gets a two-slot array instead of growing the empty one to sixteen slots; not for esbuild's
 * `__using(stack, …)`, whose caller keeps the array it passed.
 */
export function addResource<Value>(env: DisposeEnv, value: Value, async: boolean, fresh: boolean): Value {
  if (value !== null && value !== undefined) {
    if (typeof value !== 'object' && typeof value !== 'function') throw new TypeError('Object expected.');
    const target = value as { [Symbol.dispose]?: Disposer; [Symbol.asyncDispose]?: Disposer };
    if (!async) {
      if (Symbol.dispose === undefined) throw new TypeError('Symbol.dispose is not defined.');
      const dispose = target[Symbol.dispose];
      if (typeof dispose !== 'function') throw new TypeError('Object not disposable.');
      if (fresh && env.stack.length === 0) env.stack = [value, dispose];
      else env.stack.push(value, dispose);
      return value;
    }
    if (Symbol.asyncDispose === undefined) throw new TypeError('Symbol.asyncDispose is not defined.');
    let dispose = target[Symbol.asyncDispose];
    if (dispose === undefined) {
      if (Symbol.dispose === undefined) throw new TypeError('Symbol.dispose is not defined.');
      const sync = target[Symbol.dispose];
      if (typeof sync !== 'function') throw new TypeError('Object not disposable.');
      dispose = function (this: unknown) {
        try {
          sync.call(this);
        } catch (error) {
          return Promise.reject(error);
        }
        return undefined;
      };
    }
    if (typeof dispose !== 'function') throw new TypeError('Object not disposable.');
    env.stack.push({ value, dispose } satisfies AsyncEntry);
  } else if (async) {
    env.stack.push({ value: undefined, dispose: undefined } satisfies AsyncEntry);
  }
  return value;
}

/** End of a `using` block: dispose in reverse order, chaining errors (tslib's __disposeResources). */
export function __disposeResources(env: DisposeEnv): unknown {
  // The common case, a block of plain `using`s: dispose in reverse order with no closures
  // made (a `using` in a hot loop ran at half the speed of an explicit dispose through the
  // general path below). At the first `await using` entry the general path takes over with
  // the same env, as if it had started there: it has only seen synchronous entries so far.
  const stack = env.stack;
  while (stack.length > 0 && typeof stack[stack.length - 1] === 'function') {
    const dispose = stack.pop() as Disposer;
    const value = stack.pop();
    try {
      dispose.call(value);
    } catch (error) {
      fail(env, error);
    }
  }
  if (stack.length === 0) {
    if (env.hasError) throw env.error;
    return undefined;
  }
  return disposeMixed(env);
}

/** tslib's algorithm, for a stack that holds `await using` entries (see __disposeResources). */
function disposeMixed(env: DisposeEnv): unknown {
  const stack = env.stack;
  // 1: an `await using` of null/undefined was met, so the next sync disposal must wait a tick
  // first; 2: an async disposer ran (the result is a promise).
  let sync = 0;
  const next = (): unknown => {
    while (stack.length > 0) {
      const top = stack.pop();
      try {
        if (typeof top === 'function') {
          const value = stack.pop();
          if (sync === 1) {
            sync = 0;
            stack.push(value, top);
            return Promise.resolve().then(next);
          }
          (top as Disposer).call(value);
          continue;
        }
        const entry = top as AsyncEntry;
        if (entry.dispose === undefined) {
          sync |= 1;
          continue;
        }
        const result = entry.dispose.call(entry.value);
        sync |= 2;
        return Promise.resolve(result).then(next, (error: unknown) => {
          fail(env, error);
          return next();
        });
      } catch (error) {
        fail(env, error);
      }
    }
    if (sync === 1) return env.hasError ? Promise.reject(env.error) : Promise.resolve();
    if (env.hasError) throw env.error;
    return undefined;
  };
  return next();
}

/** `async` functions compiled for targets without them (tslib's __awaiter). */
export function __awaiter(thisArg: unknown, _arguments: unknown, P: PromiseConstructor | undefined, generator: (...args: unknown[]) => Generator): Promise<unknown> {
  const PromiseImpl = P ?? Promise;
  return new PromiseImpl((resolve, reject) => {
    const iterator = generator.apply(thisArg, (_arguments as unknown[] | undefined) ?? []);
    const step = (result: IteratorResult<unknown>) => {
      if (result.done === true) resolve(result.value);
      else PromiseImpl.resolve(result.value).then(fulfilled, rejected);
    };
    const fulfilled = (value: unknown) => {
      try {
        step(iterator.next(value));
      } catch (error) {
        reject(error);
      }
    };
    const rejected = (value: unknown) => {
      try {
        step(iterator.throw(value));
      } catch (error) {
        reject(error);
      }
    };
    fulfilled(undefined);
  });
}

/** Object rest (`const { a, ...rest } = o`) (tslib's __rest). */
export function __rest(source: Record<PropertyKey, unknown>, exclude: PropertyKey[]): Record<PropertyKey, unknown> {
  const target: Record<PropertyKey, unknown> = {};
  for (const key of Object.keys(source)) if (!exclude.includes(key)) target[key] = source[key];
  for (const symbol of Object.getOwnPropertySymbols(source)) {
    if (!exclude.includes(symbol) && Object.prototype.propertyIsEnumerable.call(source, symbol)) target[symbol] = source[symbol];
  }
  return target;
}

/** Array spread for downlevel targets (tslib's __spreadArray). */
export function __spreadArray(to: unknown[], from: ArrayLike<unknown>, pack?: boolean): unknown[] {
  if (pack === true || arguments.length === 2) {
    const result = Array.prototype.slice.call(to) as unknown[];
    for (let index = 0; index < from.length; index++) result.push(from[index]);
    return result;
  }
  return to.concat(Array.prototype.slice.call(from));
}

type Kind = 'a' | 'f' | 'm' | undefined;
/** `this.#field` for downlevel targets (tslib's __classPrivateFieldGet). */
export function __classPrivateFieldGet(receiver: object, state: WeakMap<object, unknown> | WeakSet<object> | ((...args: unknown[]) => unknown), kind: Kind, f?: (this: unknown) => unknown): unknown {
  if (kind === 'a' && f === undefined) throw new TypeError('Private accessor was defined without a getter');
  if (typeof state === 'function' ? receiver !== state || f === undefined : !state.has(receiver)) {
    throw new TypeError('Cannot read private member from an object whose class did not declare it');
  }
  if (kind === 'm') return f;
  if (kind === 'a') return f?.call(receiver);
  return f !== undefined ? (f as unknown as { value: unknown }).value : (state as WeakMap<object, unknown>).get(receiver);
}

/** `this.#field = value` for downlevel targets (tslib's __classPrivateFieldSet). */
export function __classPrivateFieldSet(receiver: object, state: WeakMap<object, unknown> | ((...args: unknown[]) => unknown), value: unknown, kind: Kind, f?: (this: unknown, value: unknown) => void): unknown {
  if (kind === 'm') throw new TypeError('Private method is not writable');
  if (kind === 'a' && f === undefined) throw new TypeError('Private accessor was defined without a setter');
  if (typeof state === 'function' ? receiver !== state || f === undefined : !state.has(receiver)) {
    throw new TypeError('Cannot write private member to an object whose class did not declare it');
  }
  if (kind === 'a') f?.call(receiver, value);
  else if (f !== undefined) (f as unknown as { value: unknown }).value = value;
  else (state as WeakMap<object, unknown>).set(receiver, value);
  return value;
}

/** `import x from 'm'` / `await import('m')` compiled to CommonJS with esModuleInterop (tslib's __importDefault). */
export function __importDefault(module: unknown): unknown {
  return typeof module === 'object' && module !== null && (module as { __esModule?: unknown }).__esModule === true ? module : { default: module };
}

/** `import * as m from 'm'` / `await import('m')` compiled to CommonJS with esModuleInterop (tslib's __importStar). */
export function __importStar(module: unknown): unknown {
  if (typeof module === 'object' && module !== null && (module as { __esModule?: unknown }).__esModule === true) return module;
  const result: Record<string, unknown> = {};
  if (module !== null && module !== undefined) {
    const source = module as Record<string, unknown>;
    for (const key of Object.getOwnPropertyNames(source)) {
      if (key !== 'default') Object.defineProperty(result, key, { enumerable: true, get: () => source[key] });
    }
  }
  Object.defineProperty(result, 'default', { enumerable: true, value: module });
  return result;
}

/**
 * tsc's output, as a toolchain table entry (table.ts):
 * - CommonJS output reads an import through the module's binding: `fearless_1.Mutex` (the
 *   package's namespace in the worker), `tslib_1.__awaiter` with `importHelpers` (the helpers);
 * - it turns `await import('./x.js')` into `require('./x.js')`, so `require` is the calling
 *   file's own, and `__filename`/`__dirname` are the calling file's;
 * - a binding of another import (`other_1.x`) is named in the capture error as the import.
 */
export const tsc: Toolchain = {
  name: 'tsc (tslib, CommonJS output)',
  helpers: {
    __addDisposableResource,
    __disposeResources,
    __awaiter,
    __rest,
    __spreadArray,
    __classPrivateFieldGet,
    __classPrivateFieldSet,
    __importDefault,
    __importStar,
  },
  bindings: [
    { pattern: String.raw`fearless_\d+`, reads: 'package' },
    { pattern: String.raw`tslib(?:_\d+)?`, reads: 'helpers' },
  ],
  importBindings: String.raw`[\w$]+_\d+`,
  provided: [
    { name: 'require', loads: true, value: (caller) => requireFrom(caller.url) },
    { name: '__filename', value: (caller) => caller.file },
    { name: '__dirname', value: (caller) => caller.folder },
  ],
};

/** `require` as the calling file has it; a clear error where there is no file to resolve from. */
function requireFrom(caller: string | undefined): NodeJS.Require | (() => never) {
  if (caller?.startsWith('file:') === true) return createRequire(caller);
  return () => {
    throw new InvalidArgumentError('require() inside a spawned closure resolves against the file that called spawn, and that file could not be found on the stack; use import() with an absolute URL');
  };
}
