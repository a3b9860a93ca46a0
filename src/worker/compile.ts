/**
 * Turns a closure's source back into a function inside the worker, in strict mode (the module
 * it was written in was strict: a write to a frozen object throws, `this` is not globalThis,
 * an undeclared assignment is an error). The closure may name any export of `fearless` (they
 * are passed in under their own names) and the helpers its compiler emitted; its dynamic
 * `import()`s resolve against the file that called `spawn`.
 *
 * Closures from other toolchains work too (the names are listed in toolchain-names.ts):
 * - CommonJS output: TypeScript turns `await import('./x.js')` into `require('./x.js')` (so
 *   `require` is the calling file's own), and refers to imported names through the module's
 *   binding (`fearless_1.Mutex`, esbuild's `import_fearless.Mutex`), which is given the
 *   package's namespace here;
 * - vite's SSR transform (vitest): `__vite_ssr_import_1__.Mutex` likewise,
 *   `__vite_ssr_dynamic_import__('./x.js')` is an `import()` relative to the caller, and the
 *   `using` helper it imports is ours;
 * - istanbul coverage: `cov_1x2y().s[3]++` counts into a sink (coverage of code run in a
 *   worker is not collected: it was compiled from text, not loaded from the file).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';
import * as fearless from '../index.js';
import * as helpers from './helpers.js';
import * as asyncIterationHelpers from './helpers-async-iteration.js';
import * as esbuildHelpers from './helpers-esbuild.js';
import { usingCtx } from './helpers-vite.js';
import { InvalidArgumentError } from '../errors.js';
import { bundledUsingContext, coverageCounter, tslibBinding, toolchainIdentifier } from './toolchain-names.js';
import { MAX_FUNCTIONS } from '../wire/mailbox.js';

type Compiled = (...args: unknown[]) => unknown;

const helperScope = { ...helpers, ...asyncIterationHelpers, ...esbuildHelpers };
const scope: Record<string, unknown> = { ...helperScope, ...fearless };
const names = Object.keys(scope).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name));
const values = names.map((name) => scope[name]);
/** What a module binding in the closure reads: the package's exports, and vite's `using` helper as `default`. */
const packageNamespace = Object.freeze({ ...fearless, default: usingCtx });
/**
 * Istanbul's counters (`cov_x().s[3]++`, `.f[0]++`, `.b[1][0]++`, `.bT[…][…]++`), counted into
 * nothing: every counter reads 0 and every write is dropped, so no memory grows per call.
 */
const zeros = new Proxy({}, { get: () => 0, set: () => true });
const branchZeros = new Proxy({}, { get: () => zeros, set: () => true });
const counterSink = new Proxy({}, { get: (_target, key) => (key === 'b' || key === 'bT' ? branchZeros : zeros), set: () => true });
const coverageCounters = (): object => counterSink;
/**
 * Compiled closures by caller and source, so a 'run' message for a function compiled before
 * costs a lookup. Bounded as the main thread's id table is (MAX_FUNCTIONS, mailbox.ts): it
 * starts over when the main thread's table does (`forgetCompiled`, on a 'run' message that
 * says `forget`) and, on its own, when full (20,000 distinct closures used to grow it by 33 MB).
 */
const cache = new Map<string, Compiled>();

/** How many closures the cache holds (for the worker's test hook). */
export function compiledCount(): number {
  return cache.size;
}

/** The main thread's function table started over: so does this cache. */
export function forgetCompiled(): void {
  cache.clear();
}

// The loader flag below is marked experimental in Node 20; its one-time warning is noise here.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  if (text.includes('USE_MAIN_CONTEXT_DEFAULT_LOADER')) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
});

function bindingValue(name: string): unknown {
  if (coverageCounter.test(name)) return coverageCounters;
  if (tslibBinding.test(name)) return helperScope;
  if (bundledUsingContext.test(name)) return usingCtx;
  return packageNamespace;
}

export function compile(source: string, caller: string | undefined): Compiled {
  const key = `${caller ?? ''}\n${source}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const bindings = [...new Set(source.match(toolchainIdentifier))].filter((name) => !names.includes(name));
  const file = caller?.startsWith('file:') === true ? fileURLToPath(caller) : undefined;
  let factory: (...args: unknown[]) => unknown;
  try {
    // `import()` written here resolves against `filename`, the caller: vite's dynamic-import
    // function must be made inside, not passed in.
    factory = vm.compileFunction(
      `"use strict"; const __vite_ssr_dynamic_import__ = (specifier) => import(__fearless_vite_specifier(specifier)); const __require = require; return (${source});`,
      [...names, ...bindings, 'require', '__filename', '__dirname', '__fearless_vite_specifier'],
      // The caller's path, not its URL: Node and Deno take either, Bun reads a `file:` URL here
      // as a relative path (it looked for 'fearless' under /file:///…).
      { filename: file ?? caller ?? 'fearless:spawned-closure', importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER },
    ) as (...args: unknown[]) => unknown;
  } catch (error) {
    throw compileError(error);
  }
  const folder = file === undefined ? undefined : dirname(file);
  const compiled = factory(...values, ...bindings.map(bindingValue), requireFrom(caller), file, folder, (specifier: unknown) => viteSpecifier(specifier, folder)) as Compiled;
  if (cache.size >= MAX_FUNCTIONS) cache.clear();
  cache.set(key, compiled);
  return compiled;
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

function compileError(error: unknown): InvalidArgumentError {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof EvalError || /code generation from strings/i.test(message)) {
    return new InvalidArgumentError(
      `a spawned closure is compiled from its source text in the worker, and this process forbids that (${message}); run without --disallow-code-generation-from-strings, or give the worker threads their own execArgv`,
    );
  }
  return new InvalidArgumentError(
    `the closure passed to spawn could not be compiled in the worker (${message}); pass an arrow function, a function expression or a function declaration`,
  );
}

/** `require` as the calling file has it; a clear error where there is no file to resolve from. */
function requireFrom(caller: string | undefined): NodeJS.Require | (() => never) {
  if (caller?.startsWith('file:') === true) return createRequire(caller);
  return () => {
    throw new InvalidArgumentError('require() inside a spawned closure resolves against the file that called spawn, and that file could not be found on the stack; use import() with an absolute URL');
  };
}
