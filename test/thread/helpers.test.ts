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
});
