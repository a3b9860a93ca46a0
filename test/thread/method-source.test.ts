/**
 * Issue 20, item 8: a method (`{ name() {} }`, any key, any kind) sent to a thread runs there as
 * written. It used to be rewritten into `function name() {}`, which does not compile in strict
 * mode for a reserved word (`public`, `static`, `let`…), was left as is for `async() {}` (a call
 * followed by a block), was refused for quoted and computed keys, and bound the method's name
 * in its own body (`fetch() { return fetch }` returned itself).
 */
import vm from 'node:vm';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ThreadPool, move } from 'fearless';
import { asExpression } from '../../dist/src/thread/source.js';
import { runs } from '../codec/settings.js';

type Method = (...args: unknown[]) => unknown;

/** The object literal `{ <text> }` made by the engine, and its one method (or getter, or setter). */
function methodOf(text: string): Method {
  // Indirect eval: the test needs functions whose source is exactly `text`, as users write them.
  const object = (0, eval)(`({ ${text} })`) as object;
  const descriptor = Object.getOwnPropertyDescriptor(object, Reflect.ownKeys(object)[0]!) as { get?: unknown; set?: unknown; value?: unknown };
  return (descriptor.get ?? descriptor.set ?? descriptor.value) as Method;
}

/** What the worker does with the source: compile it in strict mode (see src/worker/compile.ts). */
function compiledInStrictMode(fn: Method): Method {
  const source = Function.prototype.toString.call(fn);
  const factory = vm.compileFunction(`"use strict"; return (${asExpression(source, fn.name)}\n);`) as () => Method;
  return factory();
}

const pool = new ThreadPool({ size: 1 });
afterAll(() => pool.close());

/** Reserved words in strict mode and in modules, words with a meaning in a method head, and names with a meaning of their own. */
const RESERVED = [
  'implements', 'interface', 'let', 'package', 'private', 'protected', 'public', 'static', 'yield', 'await', 'enum',
  'async', 'get', 'set', 'of', 'function', 'class', 'new', 'this', 'super', 'import', 'export', 'default', 'delete',
  'typeof', 'void', 'in', 'instanceof', 'return', 'var', 'const', 'if', 'else', 'for', 'while', 'do', 'switch', 'case',
  'break', 'continue', 'throw', 'try', 'catch', 'finally', 'with', 'debugger', 'extends', 'null', 'true', 'false',
  'eval', 'arguments', 'constructor', 'prototype', '__proto__', 'toString', 'name', 'length',
];

describe('a method sent to a thread runs as written (issue 20, item 8)', () => {
  it.each([
    ['public(a) { return a + 1; }', 2],
    ['static(a) { return a + 1; }', 2],
    ['let(a) { return a + 1; }', 2],
    ['interface(a) { return a + 1; }', 2],
    ['yield(a) { return a + 1; }', 2],
    ['async(a) { return a + 1; }', 2],
    ['get(a) { return a + 1; }', 2],
    ['set(a) { return a + 1; }', 2],
    ['async public(a) { return a + 1; }', 2],
    ['async async(a) { return a + 1; }', 2],
    ['async static(a) { await null; return a + 1; }', 2],
    ["'quoted name'(a) { return a + 1; }", 2],
    ['"let"(a) { return a + 1; }', 2],
    ['42(a) { return a + 1; }', 2],
    ['0x10(a) { return a + 1; }', 2],
    ['[`comp` + `uted`](a) { return a + 1; }', 2],
    ['async [/* [ */ Symbol.iterator /* ] */](a) { return a + 1; }', 2],
    ['function(a) { return a + 1; }', 2],
    // The method's name is not a binding in its body: this calls the worker's global.
    ['structuredClone(a) { return structuredClone({ a }).a + 1; }', 2],
    ['setTimeout(a) { return typeof setTimeout === "function" && setTimeout !== this ? a + 1 : 0; }', 2],
  ])('%s', async (text, expected) => {
    const fn = methodOf(text);
    expect(await pool.spawn(move(1), fn as (a: number) => number).join()).toBe(expected);
  });

  it.each([
    ['*static(a) { yield a; yield a + 1; }'],
    ['*public(a) { yield a; yield a + 1; }'],
    ['*yield(a) { yield a; yield a + 1; }'],
    ['*[`computed`](a) { yield a; yield a + 1; }'],
    ['* "spaced name" (a) { yield a; yield a + 1; }'],
  ])('a generator method: %s', (text) => {
    const fn = methodOf(text);
    expect([...(compiledInStrictMode(fn)(1) as Iterable<number>)]).toEqual([1, 2]);
    expect(compiledInStrictMode(fn).name).toBe(fn.name);
  });

  it.each([
    ['async *static(a) { yield a; yield a + 1; }'],
    ['async *let(a) { yield a; yield a + 1; }'],
    ['async *[Symbol.asyncIterator](a) { yield a; yield a + 1; }'],
  ])('an async generator method: %s', async (text) => {
    const fn = compiledInStrictMode(methodOf(text));
    const values: number[] = [];
    for await (const value of fn(1) as AsyncIterable<number>) values.push(value);
    expect(values).toEqual([1, 2]);
  });

  it.each([
    ['get static() { return 42; }'],
    ['get public() { return 42; }'],
    ['get [`computed`]() { return 42; }'],
    ['get "quoted"() { return 42; }'],
    ['set let(value) { return 42; }'],
    ['set async(value) { return 42; }'],
  ])('a getter or setter: %s', async (text) => {
    const fn = methodOf(text);
    expect(await pool.spawn(fn as () => number).join()).toBe(42);
  });

  it('every method name, reserved or not, of every kind, compiles in strict mode and keeps its name', () => {
    const identifier = fc.stringMatching(/^[A-Za-z_$][\w$]{0,8}$/);
    const name = fc.oneof(fc.constantFrom(...RESERVED), identifier);
    const key = fc.oneof(
      name.map((word) => ({ text: word, name: word })),
      name.map((word) => ({ text: JSON.stringify(word), name: word })),
      name.map((word) => ({ text: `[${JSON.stringify(word)}]`, name: word })),
    );
    const head = fc.constantFrom('', 'async ', '*', 'async *', 'get ', 'set ');
    fc.assert(
      fc.property(head, key, (kind, { text, name: expectedName }) => {
        const parameters = kind === 'get ' ? '()' : '(value)';
        const fn = methodOf(`${kind}${text}${parameters} { return 7; }`);
        const compiled = compiledInStrictMode(fn);
        // `function(value) {…}` and `async function(value) {…}` read as function expressions,
        // as the same text written as one does: the same function, without the name.
        const readAsFunction = text === 'function' && (kind === '' || kind === 'async ');
        expect(compiled.name).toBe(readAsFunction ? '' : fn.name);
        expect(fn.name).toBe(`${kind.startsWith('get') ? 'get ' : kind.startsWith('set') ? 'set ' : ''}${expectedName}`);
        if (kind === '' || kind === 'get ' || kind === 'set ') expect(compiled(1)).toBe(7);
      }),
      runs(300),
    );
  });
});
