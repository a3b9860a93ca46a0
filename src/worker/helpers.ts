/* eslint-disable @typescript-eslint/prefer-promise-reject-errors -- a disposer may throw anything; these helpers pass it on unchanged, as the emitted ones do */
/**
 * The helpers that TypeScript (tslib's) and esbuild emit into compiled modules, for a closure
 * that was compiled with them and now runs in a worker where the module that defined them does
 * not exist. Our own implementations, with the same semantics as the emitted ones.
 */

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
type DisposeStack = unknown[];
interface DisposeEnv {
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
  if (value !== null && value !== undefined) {
    if (typeof value !== 'object' && typeof value !== 'function') throw new TypeError('Object expected.');
    const target = value as { [Symbol.dispose]?: Disposer; [Symbol.asyncDispose]?: Disposer };
    if (!async) {
      if (Symbol.dispose === undefined) throw new TypeError('Symbol.dispose is not defined.');
      const dispose = target[Symbol.dispose];
      if (typeof dispose !== 'function') throw new TypeError('Object not disposable.');
      env.stack.push(value, dispose);
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

/** esbuild's keepNames helper. */
export function __name<Target extends object>(target: Target, value: string): Target {
  return Object.defineProperty(target, 'name', { value, configurable: true });
}

/** esbuild's `using` helpers: `__using(stack, value, async)` and `__callDispose(stack, error, hasError)`. */
export function __using<Value>(stack: DisposeStack, value: Value, async?: boolean): Value {
  const env: DisposeEnv = { stack, error: undefined, hasError: false };
  return __addDisposableResource(env, value, async === true);
}

export function __callDispose(stack: DisposeStack, error: unknown, hasError: boolean): unknown {
  return __disposeResources({ stack, error, hasError });
}

/** esbuild's class field helper. */
export function __publicField<Target extends object>(target: Target, key: PropertyKey, value: unknown): unknown {
  Object.defineProperty(target, key, { enumerable: true, configurable: true, writable: true, value });
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
