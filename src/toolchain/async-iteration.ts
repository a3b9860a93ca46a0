/**
 * The helpers TypeScript emits for async generators and `for await` below ES2018 (tslib's
 * `__await`, `__asyncGenerator`, `__asyncValues`), for closures compiled that way: same
 * semantics as tslib's, so a generator's awaits, yields and early returns behave as native.
 * esbuild's `__forAwait` (esbuild.ts) is `__asyncValues`.
 */
import type { Toolchain } from './table.js';

interface AwaitBox {
  readonly awaited: unknown;
}

/** Marks a value the generator awaits (as opposed to yields). Callable with or without `new`. */
export function __await(this: unknown, value: unknown): AwaitBox {
  if (this instanceof __await) {
    (this as { awaited: unknown }).awaited = value;
    return this as AwaitBox;
  }
  return new (__await as unknown as new (value: unknown) => AwaitBox)(value);
}

type Verb = 'next' | 'throw' | 'return';
type Step = [verb: Verb, value: unknown, resolve: (result: IteratorResult<unknown>) => void, reject: (error: unknown) => void];

/** An async generator from a sync generator whose awaits are `__await` boxes. */
export function __asyncGenerator(thisArg: unknown, args: unknown, body: (...args: unknown[]) => Generator): AsyncGenerator {
  const generator = body.apply(thisArg, (args as unknown[] | undefined) ?? []);
  // Calls are queued: each runs once the one before it has settled, as with a native one.
  const queue: Step[] = [];
  const settle = (settler: (value: never) => void, value: unknown) => {
    (settler as (value: unknown) => void)(value);
    queue.shift();
    if (queue.length > 0) resume(queue[0]![0], queue[0]![1]);
  };
  const step = (result: IteratorResult<unknown>) => {
    if (result.value instanceof __await) {
      Promise.resolve((result.value as AwaitBox).awaited).then(
        (value) => resume('next', value),
        (error: unknown) => resume('throw', error),
      );
    } else {
      settle(queue[0]![2], result);
    }
  };
  const resume = (verb: Verb, value: unknown) => {
    try {
      step(generator[verb](value));
    } catch (error) {
      settle(queue[0]![3], error);
    }
  };
  const call = (verb: Verb) => (value?: unknown) =>
    new Promise<IteratorResult<unknown>>((resolve, reject) => {
      if (queue.push([verb, value, resolve, reject]) === 1) resume(verb, value);
    });
  const iterator = {
    next: call('next'),
    throw: call('throw'),
    // A return() from outside awaits the value first, as tslib's awaitReturn does.
    return: (value?: unknown) => Promise.resolve(value).then((resolved) => call('return')(resolved), (error: unknown) => call('throw')(error)),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return iterator as unknown as AsyncGenerator;
}

/** `for await (const x of source)`: the source's async iterator, or its sync one lifted. */
export function __asyncValues(source: object): AsyncIterator<unknown> {
  const asyncMethod = (source as { [Symbol.asyncIterator]?: () => AsyncIterator<unknown> })[Symbol.asyncIterator];
  if (typeof asyncMethod === 'function') return asyncMethod.call(source);
  const sync = (source as Iterable<unknown>)[Symbol.iterator]();
  const lift = (verb: Verb) => {
    const method = sync[verb]?.bind(sync) as ((value?: unknown) => IteratorResult<unknown>) | undefined;
    if (method === undefined) return undefined;
    return (value?: unknown) =>
      new Promise<IteratorResult<unknown>>((resolve, reject) => {
        const result = method(value);
        Promise.resolve(result.value).then((awaited) => resolve({ value: awaited, done: result.done === true }), reject);
      });
  };
  const lifted: Record<string | symbol, unknown> = { next: lift('next'), throw: lift('throw'), return: lift('return') };
  lifted[Symbol.asyncIterator] = function (this: unknown) {
    return this;
  };
  return lifted as unknown as AsyncIterator<unknown>;
}

/** The table's entry (table.ts): helpers only, emitted by tsc (tslib) below ES2018. */
export const asyncIteration: Toolchain = {
  name: 'async iteration helpers (tslib)',
  helpers: { __await, __asyncGenerator, __asyncValues },
};
