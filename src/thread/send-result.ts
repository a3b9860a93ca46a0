/**
 * The bound on what a thread's closure returns. It bounds the closure's whole return type
 * (`Return`), not the awaited value inside a `Result | PromiseLike<Result>` union: with the
 * union, a failing result was explained against the union member TypeScript found closest,
 * which for an async closure (and for any object with string keys) is `PromiseLike`, so the
 * reason sat under "Types of property 'then' are incompatible". Bounded this way, the expected
 * type is `Promise<Send<V>>` for an async closure, which TypeScript compares by its type
 * argument, and plain `Send<V>` for a sync one; both name the field and the reason.
 */
import type { Send } from '../marker/send.js';

/**
 * `Return` checked as a thread result: a Promise's or thenable's value must be Send, anything
 * else must be Send itself. Used as `<Return extends SendResult<Return>>(fn: () => Return)`,
 * with `Awaited<Return>` as what the join gives.
 *
 * @example
 * ```ts
 * declare function run<Return extends SendResult<Return>>(fn: () => Return): Awaited<Return>;
 * run(async () => ({ id: 1 }));
 * // @ts-expect-error Type '() => number' is not assignable to type 'Unsendable<"functions cannot cross…">'
 * run(async () => () => 1);
 * ```
 */
// The `infer` wrapper keeps `Return extends SendResult<Return>` from being a circular
// constraint, as in Send itself; the inner test distributes over a union of results.
export type SendResult<Return> = [Return] extends [infer Inferred] ? ResultOf<Inferred> : never;

type ResultOf<Return> =
  Return extends Promise<infer Value>
    ? Promise<Send<Value>>
    : Return extends PromiseLike<infer Value>
      ? PromiseLike<Send<Value>>
      : Send<Return>;
