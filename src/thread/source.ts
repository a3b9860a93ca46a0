/**
 * What a closure becomes on its way to a worker: its source text, checked to be something a
 * worker can compile and to use no name the worker will not have.
 */
import { Script, process } from '#platform';
import { parseExpressionAt, tokenizer } from 'acorn';
import { InvalidArgumentError, shown } from '../errors.js';
import { ownFile, callerUrl } from './caller.js';
import { checkCaptures, checkShadowedGlobals } from './capture-check.js';
import { ExportTask } from './spawn-export.js';

// In a bundle, this module's chunk is the package's: never a spawn's caller (caller.ts).
ownFile(import.meta.url);

/**
 * A function's source never changes: a closure spawned in a loop is read and checked once, and
 * every later spawn of it pays one WeakMap lookup.
 */
const sources = new WeakMap<object, string>();
/**
 * The same, by source text: a closure written inline in a loop (`spawn(move(i), (v) => v)`) is a
 * new function object on every iteration, and reading and checking it each time cost more than
 * the rest of a warm spawn. Bounded: cleared when full (the program's distinct closures are few).
 * Both caches hold only closures that passed every check (a failed one is checked, and fails,
 * at every spawn). The import check is made against the file that spawned a text first: the same
 * text spawned later from another file is not checked against that file's imports (see
 * README.md, "Spawn-time check").
 */
const bySource = new Map<string, string>();
const MAX_SOURCES = 4_096;

/**
 * Whether the first frame outside the package is the file that wrote the closure. Not on Bun:
 * JavaScriptCore makes proper tail calls in strict code, so `const run = () => spawn(fn)` leaves
 * no frame of its file, and the stack names a caller further up, whose imports say nothing about
 * the closure (checking them could refuse a closure that is right). The import check is skipped there.
 */
const stackNamesTheWriter = (process.versions as { bun?: string }).bun === undefined;

export function closureSource(fn: unknown, where: string): string {
  // spawnExport's closure: made by us from a URL and a name, nothing of the user's to check.
  if (fn instanceof ExportTask) return fn.source;
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
    const functionName = typeof name === 'string' ? name : '';
    const globals = checkCaptures(expression, where, functionName, stackNamesTheWriter ? callerUrl : () => undefined);
    // Only for a closure that uses a global, once per text: reading the stack costs ~10 µs.
    if (globals.length > 0 && stackNamesTheWriter) checkShadowedGlobals(expression, globals, where, functionName, callerUrl());
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
  const expression = asExpression(source, typeof fn.name === 'string' ? fn.name : '');
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

const KNOWN_EXPRESSION = /^(?:(async\s+)?function\b|\(|(async\s+)?[A-Za-z_$][\w$]*\s*=>)/;

/**
 * Makes a function's source an expression that evaluates to the same function. Arrow functions
 * and function expressions already are one. A method (`run() {}`, `async *gen() {}`,
 * `get total() {}`, `'quoted name'() {}`, `[computed]() {}`, `static() {}`, `async() {}`,
 * `public() {}`…: any key, reserved words included) is not, and is not rewritten into a
 * function either: a function named `static` or `public` does not compile in strict mode, and
 * a function's name is a binding in its body (`fetch() { return fetch(url) }` would call
 * itself). It stays a method, in an object literal it is taken back out of:
 * `[{ run() {} }].map(…)[0]`, so its name, its body and what its body refers to are as written.
 * A computed key is not evaluated again: it becomes the name the function already has.
 * `name` is the function's `name`.
 */
export function asExpression(source: string, name = ''): string {
  const trimmed = source.trimStart();
  if (KNOWN_EXPRESSION.test(trimmed)) return source;
  // `async (x) => x` is an arrow function, `async(x) {}` a method named async: only a parse tells.
  if (/^async\s*\(/.test(trimmed) && parsesAsExpression(trimmed)) return source;
  const method = methodIn(trimmed);
  if (method === undefined) return source;
  const key = method.computed ? JSON.stringify(name.replace(/^[gs]et /, '')) : undefined;
  const text = key === undefined ? trimmed : `${trimmed.slice(0, method.keyStart)}${key}${trimmed.slice(method.keyEnd)}`;
  return `[{ ${text}\n}].map(${TAKE_METHOD})[0]`;
}

/** The one method, getter or setter of an object: its function. */
const TAKE_METHOD = '(o) => { const d = Object.getOwnPropertyDescriptor(o, Reflect.ownKeys(o)[0]); return d.get ?? d.set ?? d.value; }';

function parsesAsExpression(source: string): boolean {
  try {
    // The whole of it: `async(x) { … }` parses as far as the call `async(x)`.
    return parseExpressionAt(source, 0, { ecmaVersion: 'latest', sourceType: 'module' }).end === source.trimEnd().length;
  } catch {
    return false;
  }
}

interface MethodNode {
  readonly type: string;
  readonly start: number;
  readonly end: number;
  readonly kind: string;
  readonly method: boolean;
  readonly computed: boolean;
  /** The computed key's brackets are outside the key node: `[` … `]`. */
  readonly key: { readonly start: number; readonly end: number };
}

/**
 * `source` as the single method of an object literal, when it is exactly one (nothing before
 * or after it); for a computed key, where its `[…]` is in `source`.
 */
function methodIn(source: string): { computed: boolean; keyStart: number; keyEnd: number } | undefined {
  const prefix = '({ ';
  let object: { type: string; properties: MethodNode[]; end: number };
  try {
    object = parseExpressionAt(`${prefix}${source}\n})`, 1, { ecmaVersion: 'latest', sourceType: 'module' }) as unknown as typeof object;
  } catch {
    return undefined;
  }
  const property = object.properties.length === 1 ? object.properties[0] : undefined;
  if (object.type !== 'ObjectExpression' || property === undefined || property.type !== 'Property') return undefined;
  if (!(property.method || property.kind === 'get' || property.kind === 'set')) return undefined;
  if (property.start !== prefix.length || property.end !== prefix.length + source.length) return undefined;
  if (!property.computed) return { computed: false, keyStart: 0, keyEnd: 0 };
  // The brackets around the key, read as tokens (a comment may hold a bracket too).
  let open = -1;
  let close = -1;
  for (const token of tokenizer(source, { ecmaVersion: 'latest', sourceType: 'module' })) {
    const at = token.start + prefix.length;
    if (token.type.label === '[' && at < property.key.start) open = token.start;
    else if (token.type.label === ']' && at >= property.key.end) {
      close = token.end;
      break;
    }
  }
  if (open < 0 || close < 0) return undefined;
  return { computed: true, keyStart: open, keyEnd: close };
}
