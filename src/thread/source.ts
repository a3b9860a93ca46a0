/**
 * What a closure becomes on its way to a worker: its source text, checked to be something a
 * worker can compile and to use no name the worker will not have.
 */
import { Script } from 'node:vm';
import { InvalidArgumentError, shown } from '../errors.js';
import { checkCaptures } from './capture-check.js';

/**
 * A function's source never changes: a closure spawned in a loop is read and checked once, and
 * every later spawn of it pays one WeakMap lookup.
 */
const sources = new WeakMap<object, string>();
/**
 * The same, by source text: a closure written inline in a loop (`spawn(move(i), (v) => v)`) is a
 * new function object on every iteration, and reading and checking it each time cost more than
 * the rest of a warm spawn. Bounded: cleared when full (the program's distinct closures are few).
 */
const bySource = new Map<string, string>();
const MAX_SOURCES = 4_096;

export function closureSource(fn: unknown, where: string): string {
  if (typeof fn !== 'function') {
    throw new InvalidArgumentError(`${where}: fn must be a function to run on the thread, got ${shown(fn)}`);
  }
  const known = sources.get(fn);
  if (known !== undefined) return known;
  const text = Function.prototype.toString.call(fn);
  const name: unknown = (fn as { readonly name?: unknown }).name;
  const key = `${typeof name === 'string' ? name : ''}\u0000${text}`;
  let expression = bySource.get(key);
  if (expression === undefined) {
    expression = readSource(fn, where, text);
    checkCaptures(expression, where, typeof name === 'string' ? name : '');
    if (bySource.size >= MAX_SOURCES) bySource.clear();
    bySource.set(key, expression);
  }
  sources.set(fn, expression);
  return expression;
}

function readSource(fn: { readonly name: string }, where: string, source: string): string {
  if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
    throw new InvalidArgumentError(
      `${where}: ${fn.name === '' ? 'this function' : `function ${fn.name}`} is native or bound, so its source cannot be sent to a thread; pass an arrow function or a function expression`,
    );
  }
  if (/^class\b/.test(source)) {
    throw new InvalidArgumentError(`${where}: ${shown(fn)} is a class, which cannot be called; pass an arrow function that constructs it`);
  }
  const expression = asExpression(source);
  if (expression === source && !KNOWN_EXPRESSION.test(source.trimStart())) {
    // An unusual form (a computed or quoted method name, …): check here, at the spawn, that it
    // compiles as an expression, rather than let the thread fail and only `join()` tell.
    try {
      new Script(`(${source}\n);`);
    } catch (error) {
      throw new InvalidArgumentError(
        `${where}: this function's source cannot be compiled on its own (${String(error)}); pass an arrow function or a function expression`,
      );
    }
  }
  return expression;
}

const KNOWN_EXPRESSION = /^(?:(async\s+)?function\b|(async\s*)?\(|(async\s+)?[A-Za-z_$][\w$]*\s*=>)/;

/** Method shorthand (`run(x) { … }`, `async *gen() {}`) is not an expression; make it one. */
export function asExpression(source: string): string {
  const trimmed = source.trimStart();
  if (/^(async\s+)?function\b/.test(trimmed) || /^(async\s*)?\(/.test(trimmed) || /^(async\s+)?[A-Za-z_$][\w$]*\s*=>/.test(trimmed)) {
    return source;
  }
  // A getter or setter taken from a property descriptor (`get total() { … }`) is a method too.
  const accessor = /^(?:get|set)\s+([A-Za-z_$][\w$]*)\s*\(/.exec(trimmed);
  if (accessor !== null) return `function ${accessor[1]}${trimmed.slice(accessor[0].length - 1)}`;
  const method = /^(async\s+)?(\*)?\s*([A-Za-z_$][\w$]*)\s*\(/.exec(trimmed);
  if (method !== null) {
    const rest = trimmed.slice(method[0].length - 1);
    return `${method[1] ?? ''}function${method[2] ?? ''} ${method[3]}${rest}`;
  }
  return source;
}
