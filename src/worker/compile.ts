/**
 * Turns a closure's source back into a function inside the worker. The closure may name any
 * export of `fearless` (they are passed in under their own names) and the helpers its compiler
 * emitted; its dynamic `import()`s resolve against the file that called `spawn`.
 */
import vm from 'node:vm';
import * as fearless from '../index.js';
import * as helpers from './helpers.js';
import * as asyncIterationHelpers from './helpers-async-iteration.js';
import { InvalidArgumentError } from '../errors.js';

type Compiled = (...args: unknown[]) => unknown;

const scope: Record<string, unknown> = { ...helpers, ...asyncIterationHelpers, ...fearless };
const names = Object.keys(scope).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name));
const values = names.map((name) => scope[name]);
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
  let factory: (...args: unknown[]) => unknown;
  try {
    factory = vm.compileFunction(`return (${source});`, names, {
      filename: caller ?? 'fearless:spawned-closure',
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    }) as (...args: unknown[]) => unknown;
  } catch (error) {
    throw new InvalidArgumentError(
      `the closure passed to spawn could not be compiled in the worker (${error instanceof Error ? error.message : String(error)}); pass an arrow function, a function expression or a function declaration`,
    );
  }
  const compiled = factory(...values) as Compiled;
  cache.set(key, compiled);
  return compiled;
}
