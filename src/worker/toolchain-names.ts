/**
 * The names that compilers, bundlers, test runners and coverage tools put into a closure, and
 * what each one means in the worker. Shared by the spawn-time check (calling thread: which free
 * names are fine) and by compile.ts (worker: what to bind them to), so the two never disagree.
 */
import * as helpers from './helpers.js';
import * as asyncIterationHelpers from './helpers-async-iteration.js';
import * as esbuildHelpers from './helpers-esbuild.js';

/** Helpers emitted by tsc (tslib) and esbuild, provided under their own names. */
export const helperNames: ReadonlySet<string> = new Set([...Object.keys(helpers), ...Object.keys(asyncIterationHelpers), ...Object.keys(esbuildHelpers)]);

/**
 * How a compiled module refers to its imports, when the closure reads an import through it:
 * tsc's CommonJS `fearless_1.Mutex`, esbuild's `import_fearless.Mutex`, vite's SSR transform
 * `__vite_ssr_import_1__.Mutex` (and vitest's hoisted `__vi_import_0__`), webpack's
 * `fearless__WEBPACK_IMPORTED_MODULE_3__.Mutex` (with `optimization.mangleExports: false`: mangled,
 * the property is not the export's name). Only the package's
 * own exports can be read through one in the worker: the binding is given its namespace.
 */
export const moduleBinding = /^(?:fearless_\d+|import_fearless\d*|__vite_ssr_import_\d+__|__vi_import_\d+__|fearless__WEBPACK_IMPORTED_MODULE_\d+__)$/;

/** tsc's `importHelpers` (`tslib_1.__awaiter`) and esbuild's `import_tslib`: the helpers above. */
export const tslibBinding = /^(?:tslib(?:_\d+)?|import_tslib\d*)$/;

/** Istanbul's per-file counter function (`cov_1x2y3z().s[3]++`): a sink in the worker. */
export const coverageCounter = /^cov_[0-9A-Za-z_$]+$/;

/**
 * vite's transform (oxc) lowers `using` with a helper imported from its runtime:
 * `var _usingCtx = (0, __vite_ssr_import_3__.default)()` (istanbul puts a counter in front:
 * `(cov_x().s[3]++, (0, …default)())`). That `.default` is the usingCtx helper.
 */
export const viteUsingContext = /\b_usingCtx\d*\s*=\s*(?:\(\s*cov_[\w$]+\(\)\.s\[\d+\]\+\+\s*,\s*)?\(\s*0\s*,\s*(__vite_ssr_import_\d+__)\.default\s*\)\(\s*\)/g;

/**
 * Plain names the worker provides: `require` (the calling file's; esbuild's `__require` is
 * the same), CommonJS's `__filename`
 * and `__dirname` (the calling file's) and vite's `__vite_ssr_dynamic_import__` (an `import()`
 * relative to the calling file).
 */
export const providedNames: ReadonlySet<string> = new Set(['require', '__require', '__filename', '__dirname', '__vite_ssr_dynamic_import__']);

/**
 * The `using` helper as a bundle names it: vite's build (rolldown) imports it from its runtime
 * under `_usingCtx`, `_usingCtx$1` when that name is taken.
 */
export const bundledUsingContext = /^_usingCtx(?:\$\d+)?$/;

/** Every name in `source` that one of the binding patterns above would give a value. */
export const toolchainIdentifier =
  /\b(?:fearless_\d+|import_fearless\d*|__vite_ssr_import_\d+__|__vi_import_\d+__|fearless__WEBPACK_IMPORTED_MODULE_\d+__|tslib(?:_\d+)?|import_tslib\d*|cov_[0-9A-Za-z_$]+|_usingCtx(?:\$\d+)?)(?![\w$])/g;
