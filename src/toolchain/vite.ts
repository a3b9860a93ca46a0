/**
 * vite's SSR transform (vitest runs every test file through it): how its output refers to
 * imports, `import()` and `import.meta`, and the helper it imports to lower `using`.
 *
 * - An import is read through `__vite_ssr_import_1__.Mutex` (vitest's hoisted imports:
 *   `__vi_import_0__`): the package's namespace in the worker.
 * - `__vite_ssr_dynamic_import__('./x.js')` is an `import()` relative to the calling file, with
 *   vite's module ids mapped back to files (`viteSpecifier`).
 * - `import.meta` becomes `__vite_ssr_import_meta__`, which a spawned closure does not have.
 * - `using` is lowered (oxc, babel's semantics) with `usingCtx` imported from vite's runtime:
 *   `var _usingCtx = (0, __vite_ssr_import_3__.default)()` (istanbul puts a counter in front:
 *   `(cov_x().s[3]++, (0, …default)())`). That `.default` is ours: `usingCtx()` gives
 *   `{ e, u, a, d }` — `u(value)` for `using`, `a(value)` for `await using`, `e` the body's
 *   error, `d()` disposes in reverse order (a promise once anything async is on the stack).
 *   Built on the tslib-compatible helpers, so the ordering and error chaining are the same.
 */
import { existsSync, dirname, join, pathToFileURL } from '#platform';
import type { Toolchain } from './table.js';
import { __addDisposableResource, __disposeResources } from './tsc.js';

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

/**
 * vite rewrites the specifier of a dynamic import to its own module id: `/node_modules/x/…`
 * and `/src/y.js` are relative to the project root, `/@fs/…` is an absolute path, `/@id/x` a
 * bare name. Node needs a file: the root is the nearest folder above the caller that has it.
 */
function viteSpecifier(specifier: unknown, folder: string | undefined): unknown {
  if (typeof specifier !== 'string' || !specifier.startsWith('/')) return specifier;
  if (specifier.startsWith('/@fs/')) return pathToFileURL(specifier.slice('/@fs'.length)).href;
  if (specifier.startsWith('/@id/')) return specifier.slice('/@id/'.length);
  if (folder === undefined || existsSync(specifier)) return specifier;
  for (let root = folder; ; root = dirname(root)) {
    const candidate = join(root, specifier);
    if (existsSync(candidate)) return pathToFileURL(candidate).href;
    if (dirname(root) === root) return specifier;
  }
}

/** vite's output, as a toolchain table entry (table.ts). */
export const vite: Toolchain = {
  name: 'vite: SSR transform (vitest), SSR and library builds',
  bindings: [
    { pattern: String.raw`__vite_ssr_import_\d+__`, reads: 'package' },
    { pattern: String.raw`__vi_import_\d+__`, reads: 'package' },
    // vite's build (rolldown), SSR or library: the `using` helper imported from its runtime as a
    // plain name, `_usingCtx` (`_usingCtx$1` when that name is taken), called as `_usingCtx()`.
    { pattern: String.raw`_usingCtx(?:\$\d+)?`, reads: 'own', value: usingCtx },
  ],
  namespaceExtras: {
    extras: { default: usingCtx },
    // The bindings whose `.default` is the usingCtx helper: group 1 of each match.
    readBy: /\b_usingCtx\d*\s*=\s*(?:\(\s*cov_[\w$]+\(\)\.s\[\d+\]\+\+\s*,\s*)?\(\s*0\s*,\s*(__vite_ssr_import_\d+__)\.default\s*\)\(\s*\)/g,
  },
  provided: [
    // Declared inside the compiled function: an `import()` written there resolves against the caller.
    { name: '__vite_ssr_dynamic_import__', loads: true, declared: '(specifier) => import(__fearless_vite_specifier(specifier))' },
    { name: '__fearless_vite_specifier', internal: true, value: (caller) => (specifier: unknown) => viteSpecifier(specifier, caller.folder) },
  ],
  importMeta: ['__vite_ssr_import_meta__'],
};
