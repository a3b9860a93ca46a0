/**
 * webpack 5: how a bundle reads an import, `fearless__WEBPACK_IMPORTED_MODULE_3__.Mutex` (any
 * module: `<name>__WEBPACK_IMPORTED_MODULE_<n>__`). With `optimization.mangleExports: false` the
 * property is the export's own name, so the package's binding reads the package's namespace in
 * the worker (mangled, it is not: README "Bundling" gives the config line).
 */
import type { Toolchain } from './table.js';

/** webpack's output, as a toolchain table entry (table.ts). */
export const webpack: Toolchain = {
  name: 'webpack 5',
  bindings: [{ pattern: String.raw`fearless__WEBPACK_IMPORTED_MODULE_\d+__`, reads: 'package' }],
  importBindings: String.raw`[\w$]+__WEBPACK_IMPORTED_MODULE_\d+__`,
};
