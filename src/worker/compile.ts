/**
 * Turns a closure's source back into a function inside the worker, in strict mode (the module
 * it was written in was strict: a write to a frozen object throws, `this` is not globalThis,
 * an undeclared assignment is an error). The closure may name any export of `fearless` (they
 * are passed in under their own names) and the helpers its compiler emitted; its dynamic
 * `import()`s resolve against the file that called `spawn`.
 *
 * Closures from other toolchains work too: what tsc, esbuild, vite and istanbul put into a
 * closure, and what each name is bound to here, is the toolchain table (src/toolchain/).
 */
import { dirname, process, fileURLToPath, vm } from '#platform';
import * as fearless from '../index.js';
import { InvalidArgumentError } from '../errors.js';
import { bindingIdentifier, callerParameters, declarations, helpers, helpersBinding, namespaceExtras, ownBindings, type CallerFile } from '../toolchain/table.js';
import { MAX_FUNCTIONS } from '../mailbox/mailbox.js';

type Compiled = (...args: unknown[]) => unknown;

const scope: Record<string, unknown> = { ...helpers, ...fearless };
const names = Object.keys(scope).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name));
const values = names.map((name) => scope[name]);
/** What a package binding in the closure reads: the package's exports, and the toolchains' extras (vite's `using` helper as `default`). */
const packageNamespace = Object.freeze({ ...fearless, ...namespaceExtras });
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

/**
 * The loader flag below (`USE_MAIN_CONTEXT_DEFAULT_LOADER`) is experimental in Node 20 and 22:
 * the first `import()` of a compiled closure makes Node emit, once per thread, an
 * ExperimentalWarning about it, printed on the program's stderr by every worker. That warning
 * is noise for the user and is dropped; nothing else is.
 *
 * Invariant: the patch of `process.emitWarning` (process-wide in the worker) drops only a
 * warning of type ExperimentalWarning whose message starts with `vm.USE_MAIN_CONTEXT_DEFAULT_LOADER`;
 * every other call reaches Node's emitWarning with the same arguments, so listeners, `code`,
 * `detail` and `--no-warnings` behave as without it. Once that warning was dropped (Node emits
 * it once per thread) the original function is put back, unless something replaced ours since.
 * Tested by test/thread/warnings.test.ts.
 */
function dropLoaderWarning(): void {
  // Saved to be put back as it was, and called with `process` as its `this`.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const original = process.emitWarning;
  const filtered = function emitWarning(...args: unknown[]): void {
    if (isLoaderWarning(args[0], args[1])) {
      if (process.emitWarning === filtered) process.emitWarning = original;
      return;
    }
    (original as (...args: unknown[]) => void).apply(process, args);
  };
  process.emitWarning = filtered;
}

function isLoaderWarning(warning: unknown, typeOrOptions: unknown): boolean {
  const type = typeof typeOrOptions === 'string' ? typeOrOptions : (typeOrOptions as { type?: unknown } | null | undefined)?.type;
  const message = typeof warning === 'string' ? warning : warning instanceof Error ? warning.message : undefined;
  const name = typeof warning === 'string' ? type : warning instanceof Error ? warning.name : undefined;
  return name === 'ExperimentalWarning' && message?.startsWith('vm.USE_MAIN_CONTEXT_DEFAULT_LOADER') === true;
}

dropLoaderWarning();

function bindingValue(name: string): unknown {
  for (const own of ownBindings) if (own.pattern.test(name)) return own.value;
  if (helpersBinding.test(name)) return helpers;
  return packageNamespace;
}

export function compile(source: string, caller: string | undefined): Compiled {
  const key = `${caller ?? ''}\n${source}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const bindings = [...new Set(source.match(bindingIdentifier))].filter((name) => !names.includes(name));
  const file = caller?.startsWith('file:') === true ? fileURLToPath(caller) : undefined;
  let factory: (...args: unknown[]) => unknown;
  try {
    // `import()` written here resolves against `filename`, the caller: a toolchain's dynamic
    // import (vite's) is declared inside, not passed in.
    factory = vm.compileFunction(
      `"use strict"; ${declarations} return (${source});`,
      [...names, ...bindings, ...callerParameters.map((parameter) => parameter.name)],
      // The caller's path, not its URL: Node and Deno take either, Bun reads a `file:` URL here
      // as a relative path (it looked for 'fearless' under /file:///…).
      { filename: file ?? caller ?? 'fearless:spawned-closure', importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER },
    ) as (...args: unknown[]) => unknown;
  } catch (error) {
    throw compileError(error);
  }
  const callerFile: CallerFile = { url: caller, file, folder: file === undefined ? undefined : dirname(file) };
  const compiled = factory(...values, ...bindings.map(bindingValue), ...callerParameters.map((parameter) => parameter.value(callerFile))) as Compiled;
  if (cache.size >= MAX_FUNCTIONS) cache.clear();
  cache.set(key, compiled);
  return compiled;
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
