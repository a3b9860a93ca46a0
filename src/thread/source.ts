/**
 * What a closure becomes on its way to a worker: its source text, checked to be something a
 * worker can compile and to use no name the worker will not have.
 */
import { InvalidArgumentError } from '../errors.js';
import { checkCaptures } from './capture-check.js';

/**
 * A function's source never changes: a closure spawned in a loop is read and checked once, and
 * every later spawn of it pays one WeakMap lookup.
 */
const sources = new WeakMap<object, string>();

export function closureSource(fn: unknown, where: string): string {
  if (typeof fn !== 'function') {
    throw new InvalidArgumentError(`${where}: expected a function to run on the thread, got ${fn === null ? 'null' : typeof fn}`);
  }
  const known = sources.get(fn);
  if (known !== undefined) return known;
  const expression = readSource(fn, where);
  const name: unknown = (fn as { readonly name?: unknown }).name;
  checkCaptures(expression, where, typeof name === 'string' ? name : '');
  sources.set(fn, expression);
  return expression;
}

function readSource(fn: { readonly name: string }, where: string): string {
  const source = Function.prototype.toString.call(fn);
  if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
    throw new InvalidArgumentError(
      `${where}: ${fn.name === '' ? 'this function' : `function ${fn.name}`} is native or bound, so its source cannot be sent to a thread; pass an arrow function or a function expression`,
    );
  }
  return asExpression(source);
}

/** Method shorthand (`run(x) { … }`, `async *gen() {}`) is not an expression; make it one. */
export function asExpression(source: string): string {
  const trimmed = source.trimStart();
  if (/^(async\s+)?function\b/.test(trimmed) || /^(async\s*)?\(/.test(trimmed) || /^(async\s+)?[A-Za-z_$][\w$]*\s*=>/.test(trimmed)) {
    return source;
  }
  const method = /^(async\s+)?(\*)?\s*([A-Za-z_$][\w$]*)\s*\(/.exec(trimmed);
  if (method !== null) {
    const rest = trimmed.slice(method[0].length - 1);
    return `${method[1] ?? ''}function${method[2] ?? ''} ${method[3]}${rest}`;
  }
  return source;
}
