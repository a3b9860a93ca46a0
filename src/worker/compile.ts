/**
 * Turns a closure's source back into a function inside the worker. The closure may name any
 * export of `fearless` (they are passed in under their own names) and the helpers its compiler
 * emitted; its dynamic `import()`s resolve against the file that called `spawn`.
 *
 * Closures from CommonJS output work too: TypeScript turns `await import('./x.js')` into
 * `require('./x.js')` (so `require` is the calling file's own), and refers to imported names
 * through the module's binding (`fearless_1.Mutex`, esbuild's `import_fearless.Mutex`), which
 * is given the package's namespace here.
 */
import { createRequire } from 'node:module';
import vm from 'node:vm';
import * as fearless from '../index.js';
import * as helpers from './helpers.js';
import * as asyncIterationHelpers from './helpers-async-iteration.js';
import { InvalidArgumentError } from '../errors.js';

type Compiled = (...args: unknown[]) => unknown;

const scope: Record<string, unknown> = { ...helpers, ...asyncIterationHelpers, ...fearless };
const names = Object.keys(scope).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name));
const values = names.map((name) => scope[name]);
/** The bindings CommonJS output uses for `import … from 'fearless'`. */
const packageBinding = /\b(?:fearless_\d+|import_fearless\d*)\b/g;
const cache = new Map<string, Compiled>();

// The loader flag below is marked experimental in Node 20; its one-time warning is noise here.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  if (text.includes('USE_MAIN_CONTEXT_DEFAULT_LOADER')) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
});

export function compile(source: string, caller: string | undefined): Compiled {
  const key = `${caller ?? ''}\n${source}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const bindings = [...new Set(source.match(packageBinding))].filter((name) => !names.includes(name));
  let factory: (...args: unknown[]) => unknown;
  try {
    factory = vm.compileFunction(`return (${source});`, [...names, ...bindings, 'require'], {
      filename: caller ?? 'fearless:spawned-closure',
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    }) as (...args: unknown[]) => unknown;
  } catch (error) {
    throw new InvalidArgumentError(
      `the closure passed to spawn could not be compiled in the worker (${error instanceof Error ? error.message : String(error)}); pass an arrow function, a function expression or a function declaration`,
    );
  }
  const compiled = factory(...values, ...bindings.map(() => fearless), requireFrom(caller)) as Compiled;
  cache.set(key, compiled);
  return compiled;
}

/** `require` as the calling file has it; a clear error where there is no file to resolve from. */
function requireFrom(caller: string | undefined): NodeJS.Require | (() => never) {
  if (caller?.startsWith('file:') === true) return createRequire(caller);
  return () => {
    throw new InvalidArgumentError('require() inside a spawned closure resolves against the file that called spawn, and that file could not be found on the stack; use import() with an absolute URL');
  };
}
