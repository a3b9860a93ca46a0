/* eslint-disable @typescript-eslint/prefer-promise-reject-errors -- a disposer may throw anything; these helpers pass it on unchanged, as the emitted ones do */
/**
 * The helpers that TypeScript (tslib's) and esbuild emit into compiled modules, for a closure
 * that was compiled with them and now runs in a worker where the module that defined them does
 * not exist. Our own implementations, with the same semantics as the emitted ones.
 */

type Disposer = () => unknown;
interface DisposableEntry {
  readonly value: unknown;
  readonly dispose: Disposer | undefined;
  readonly async: boolean;
}
interface DisposeEnv {
  stack: DisposableEntry[];
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

/** `using x = value` / `await using`: remember the disposer (tslib's __addDisposableResource). */
export function __addDisposableResource<Value>(env: DisposeEnv, value: Value, async: boolean): Value {
  if (value !== null && value !== undefined) {
    if (typeof value !== 'object' && typeof value !== 'function') throw new TypeError('Object expected.');
    const target = value as { [Symbol.dispose]?: Disposer; [Symbol.asyncDispose]?: Disposer };
    let dispose: Disposer | undefined;
    let inner: Disposer | undefined;
    if (async) {
      if (Symbol.asyncDispose === undefined) throw new TypeError('Symbol.asyncDispose is not defined.');
      dispose = target[Symbol.asyncDispose];
    }
    if (dispose === undefined) {
      if (Symbol.dispose === undefined) throw new TypeError('Symbol.dispose is not defined.');
      dispose = target[Symbol.dispose];
      if (async) inner = dispose;
    }
    if (typeof dispose !== 'function') throw new TypeError('Object not disposable.');
    if (inner !== undefined) {
      const sync = inner;
      dispose = function (this: unknown) {
        try {
          sync.call(this);
        } catch (error) {
          return Promise.reject(error);
        }
        return undefined;
      };
    }
    env.stack.push({ value, dispose, async });
  } else if (async) {
    env.stack.push({ value: undefined, dispose: undefined, async: true });
  }
  return value;
}

/** End of a `using` block: dispose in reverse order, chaining errors (tslib's __disposeResources). */
export function __disposeResources(env: DisposeEnv): unknown {
  const fail = (error: unknown) => {
    env.error = env.hasError ? suppressed(error, env.error, 'An error was suppressed during disposal.') : error;
    env.hasError = true;
  };
  let sync = 0;
  const next = (): unknown => {
    let entry: DisposableEntry | undefined;
    while ((entry = env.stack.pop()) !== undefined) {
      try {
        if (!entry.async && sync === 1) {
          sync = 0;
          env.stack.push(entry);
          return Promise.resolve().then(next);
        }
        if (entry.dispose !== undefined) {
          const result = entry.dispose.call(entry.value);
          if (entry.async) {
            sync |= 2;
            return Promise.resolve(result).then(next, (error: unknown) => {
              fail(error);
              return next();
            });
          }
        } else {
          sync |= 1;
        }
      } catch (error) {
        fail(error);
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
export function __using<Value>(stack: DisposableEntry[], value: Value, async?: boolean): Value {
  const env: DisposeEnv = { stack, error: undefined, hasError: false };
  return __addDisposableResource(env, value, async === true);
}

export function __callDispose(stack: DisposableEntry[], error: unknown, hasError: boolean): unknown {
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
