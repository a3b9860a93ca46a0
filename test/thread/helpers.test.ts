import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

// Users who compile for older targets get tslib-style helpers (__awaiter, __rest, __spreadArray,
// __classPrivateFieldGet...) emitted into their modules; a closure that calls them must still
// work in the worker. Compile a module the way such a user would, then run it.
const folder = path.resolve('test/.tmp/helpers');
afterAll(() => rm(folder, { recursive: true, force: true }));

async function compileAndImport(name: string, source: string, target: ts.ScriptTarget): Promise<Record<string, () => Promise<unknown>>> {
  const output = ts.transpileModule(source, { compilerOptions: { target, module: ts.ModuleKind.ESNext, lib: ['lib.esnext.d.ts'] } }).outputText;
  await mkdir(folder, { recursive: true });
  const file = path.join(folder, `${name}.mjs`);
  await writeFile(file, output);
  return (await import(pathToFileURL(file).href)) as Record<string, () => Promise<unknown>>;
}

describe('closures compiled for older targets', () => {
  it('ES2015 output: __awaiter, __rest, __spreadArray, private fields', async () => {
    const module = await compileAndImport(
      'es2015',
      `import { spawn, move } from 'fearless';
       export function run() {
         return spawn(move({ a: 1, b: 2, c: 3 }, [1, 2]), async (record, list) => {
           const { a, ...rest } = record;
           const wait = async () => { await null; return [...list, 3]; };
           class Counter { #count = 0; bump() { this.#count++; return this.#count; } }
           const counter = new Counter();
           counter.bump();
           return { a, rest, spread: await wait(), count: counter.bump() };
         }).join();
       }`,
      ts.ScriptTarget.ES2015,
    );
    expect(module.run).toBeTypeOf('function');
    expect(await module.run!()).toEqual({ a: 1, rest: { b: 2, c: 3 }, spread: [1, 2, 3], count: 2 });
  });

  it('ES2017 output of `using`', async () => {
    const module = await compileAndImport(
      'es2017',
      `import { spawn } from 'fearless';
       export function run() {
         return spawn(() => {
           const log = [];
           { using r = { [Symbol.dispose]() { log.push('disposed'); } }; log.push('in'); }
           return log;
         }).join();
       }`,
      ts.ScriptTarget.ES2017,
    );
    expect(await module.run!()).toEqual(['in', 'disposed']);
  });

  it('ES2017 output of async generators and `for await`: __await, __asyncGenerator, __asyncValues', async () => {
    const module = await compileAndImport(
      'es2017-async-iteration',
      `import { spawn, move } from 'fearless';
       export function run() {
         return spawn(move([1, 2, 3]), async (numbers) => {
           async function* doubled(items) {
             for (const item of items) {
               await new Promise((resolve) => setTimeout(resolve, 1));
               yield item * 2;
             }
           }
           const seen = [];
           for await (const value of doubled(numbers)) seen.push(value);
           for await (const value of [Promise.resolve('a'), 'b']) seen.push(value);
           const early = doubled(numbers);
           const first = await early.next();
           const stopped = await early.return('stopped');
           const after = await early.next();
           return { seen, first, stopped, after };
         }).join();
       }`,
      ts.ScriptTarget.ES2017,
    );
    expect(await module.run!()).toEqual({
      seen: [2, 4, 6, 'a', 'b'],
      first: { value: 2, done: false },
      stopped: { value: 'stopped', done: true },
      after: { value: undefined, done: true },
    });
  });

  it("esbuild's output of `using` and `await using`: __using and __callDispose, with SuppressedError", async () => {
    // esbuild is not installed here: this is the code it emits for `using` below esnext,
    // written out by hand (the helpers themselves sit at the top of the user's bundle).
    await mkdir(folder, { recursive: true });
    const file = path.join(folder, 'esbuild.mjs');
    await writeFile(
      file,
      `import { spawn } from 'fearless';
       export function run() {
         return spawn(async () => {
           const log = [];
           {
             var _stack = [];
             try {
               const sync = __using(_stack, { [Symbol.dispose]() { log.push('sync disposed'); } });
               const later = __using(_stack, { async [Symbol.asyncDispose]() { await null; log.push('async disposed'); } }, true);
               log.push('in');
             } catch (_) {
               var _error = _, _hasError = true;
             } finally {
               var _promise = __callDispose(_stack, _error, _hasError);
               _promise && await _promise;
             }
           }
           let failure;
           {
             var _stack2 = [];
             try {
               const bad = __using(_stack2, { [Symbol.dispose]() { throw new Error('from dispose'); } });
               throw new Error('from body');
             } catch (_) {
               var _error2 = _, _hasError2 = true;
             } finally {
               try { __callDispose(_stack2, _error2, _hasError2); } catch (error) { failure = error; }
             }
           }
           return { log, name: failure.name, error: failure.error.message, suppressed: failure.suppressed.message };
         }).join();
       }`,
    );
    const module = (await import(pathToFileURL(file).href)) as { run: () => Promise<unknown> };
    expect(await module.run()).toEqual({
      log: ['in', 'async disposed', 'sync disposed'],
      name: 'SuppressedError',
      error: 'from dispose',
      suppressed: 'from body',
    });
  });
});
