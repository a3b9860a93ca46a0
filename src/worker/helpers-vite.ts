/**
 * The helper vite's transform (oxc, babel's semantics) imports to lower `using`: `usingCtx()`
 * gives `{ e, u, a, d }` — `u(value)` for `using`, `a(value)` for `await using`, `e` the body's
 * error, `d()` disposes in reverse order (a promise once anything async is on the stack).
 * Built on the tslib-compatible helpers, so the ordering and error chaining are the same.
 */
import { __addDisposableResource, __disposeResources } from './helpers.js';

interface UsingContext {
  e: unknown;
  u(value: unknown): unknown;
  a(value: unknown): unknown;
  d(): unknown;
}

export function usingCtx(): UsingContext {
  const env = { stack: [], error: undefined as unknown, hasError: false };
  const empty = {};
  return {
    e: empty,
    u: (value) => __addDisposableResource(env, value, false),
    a: (value) => __addDisposableResource(env, value, true),
    d(this: UsingContext) {
      if (this.e !== empty) {
        env.error = this.e;
        env.hasError = true;
      }
      return __disposeResources(env);
    },
  };
}
