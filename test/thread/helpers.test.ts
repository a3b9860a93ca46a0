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

  it('`using` and `await using` in a worker dispose exactly as tsc\'s own helpers do on the main thread', async () => {
    // One scenario, compiled once for ES2017 (tsc emits its helpers into the module): run as a
    // plain function it uses tsc's helpers; as a spawned closure, the worker's. Mixed stacks
    // (sync after async, `await using` of null, throwing disposers, a throwing body) must give
    // the same order of events and the same error chain.
    const module = await compileAndImport(
      'es2017-using-differential',
      `import { spawn } from 'fearless';
       export async function scenario() {
         const log = [];
         const sync = (label, fail) => ({ [Symbol.dispose]() { log.push(label); if (fail) throw new Error(label); } });
         const later = (label, fail) => ({ async [Symbol.asyncDispose]() { await null; log.push(label); if (fail) throw new Error(label); } });
         const describe = (error) => error === undefined ? undefined : error.name === 'SuppressedError'
           ? { name: error.name, error: describe(error.error), suppressed: describe(error.suppressed) }
           : { name: error.name, message: error.message };
         const outcomes = [];
         try {
           for (let round = 0; round < 3; round++) {
             using first = sync('s' + round, round === 1);
             using nothing = null;
             log.push('in ' + round);
           }
         } catch (error) {
           outcomes.push(describe(error));
         }
         try {
           await (async () => {
             using a = sync('a', false);
             await using b = later('b', true);
             await using gap = null;
             using c = sync('c', true);
             await using d = later('d', false);
             log.push('mixed body');
             throw new Error('body');
           })();
         } catch (error) {
           outcomes.push(describe(error));
         }
         try {
           (() => {
             using x = sync('x', true);
             using y = sync('y', true);
             log.push('two throws');
           })();
         } catch (error) {
           outcomes.push(describe(error));
         }
         try {
           (() => { using bad = { notDisposable: true }; })();
         } catch (error) {
           outcomes.push(describe(error));
         }
         return { log, outcomes };
       }
       export function inWorker() {
         return spawn(scenario).join();
       }`,
      ts.ScriptTarget.ES2017,
    );
    const onMain = await module.scenario!();
    expect(onMain).toMatchObject({ log: expect.arrayContaining(['mixed body']) as unknown });
    expect(await module.inWorker!()).toEqual(onMain);
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

// esbuild (and bundlers built on it, such as tsx and vite) lowers `using` to its own helpers,
// `__using(stack, value, async)` and `__callDispose(stack, error, hasError)`, and `keepNames`
// wraps functions in `__name`. The module below is esbuild 0.24's output for such closures,
// with its runtime helpers declared at the top as a bundle has them on the main thread.
const esbuildOutput = `import { spawn } from 'fearless';
var __defProp = Object.defineProperty;
var __name = (target, value) => __defProp(target, "name", { value, configurable: true });
export function run() {
  return spawn(async () => {
    const log = [];
    const disposer = /* @__PURE__ */ __name((label, fail) => ({ [Symbol.dispose]() { log.push(label); if (fail) throw new Error(label); } }), "disposer");
    {
      var _stack = [];
      try {
        const a = __using(_stack, disposer("a", false));
        const b = __using(_stack, disposer("b", false));
        log.push("body");
      } catch (_) {
        var _error = _, _hasError = true;
      } finally {
        __callDispose(_stack, _error, _hasError);
      }
    }
    let caught;
    try {
      var _stack2 = [];
      try {
        const c = __using(_stack2, disposer("c", true));
        throw new Error("body");
      } catch (_2) {
        var _error2 = _2, _hasError2 = true;
      } finally {
        __callDispose(_stack2, _error2, _hasError2);
      }
    } catch (error) {
      caught = { name: error.name, error: error.error.message, suppressed: error.suppressed.message };
    }
    {
      var _stack3 = [];
      try {
        const d = __using(_stack3, { async [Symbol.asyncDispose]() { await null; log.push("async d"); } }, true);
        const e = __using(_stack3, null, true);
        log.push("async body");
      } catch (_3) {
        var _error3 = _3, _hasError3 = true;
      } finally {
        var _promise = __callDispose(_stack3, _error3, _hasError3);
        _promise && await _promise;
      }
    }
    return { log, caught, name: disposer.name };
  }).join();
}
`;

describe('closures bundled by esbuild', () => {
  it('__using/__callDispose dispose in reverse order, chain a SuppressedError and await async disposers; __name names', async () => {
    await mkdir(folder, { recursive: true });
    const file = path.join(folder, 'esbuild-order.mjs');
    await writeFile(file, esbuildOutput);
    const module = (await import(pathToFileURL(file).href)) as { run: () => Promise<unknown> };
    expect(await module.run()).toEqual({
      log: ['body', 'b', 'a', 'c', 'async body', 'async d'],
      caught: { name: 'SuppressedError', error: 'c', suppressed: 'body' },
      name: 'disposer',
    });
  });
});

describe('closures compiled to CommonJS', () => {
  it('import() turned into require() resolves from the calling file, and fearless_1.name reaches the package', async () => {
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'greeting.cjs'), `exports.greet = (who) => 'hello from ' + who;\n`);
    const output = ts.transpileModule(
      `import { channel, move, spawn } from 'fearless';
       export function run() {
         return spawn(move('commonjs'), async (who) => {
           const { greet } = await import('./greeting.cjs');
           const [sender, receiver] = channel<number>();
           sender.send(41);
           return { greeting: greet(who), received: (await receiver.recv()) + 1 };
         }).join();
       }`,
      { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, esModuleInterop: true } },
    ).outputText;
    // The trap this test is about: the closure names require, __importStar and fearless_1.
    expect(output).toMatch(/require\('\.\/greeting\.cjs'\)/);
    expect(output).toMatch(/fearless_1\.channel/);
    const file = path.join(folder, 'commonjs.cjs');
    await writeFile(file, output);
    const module = (await import(pathToFileURL(file).href)) as { default: { run: () => Promise<unknown> } };
    expect(await module.default.run()).toEqual({ greeting: 'hello from commonjs', received: 42 });
  });

  it('esbuild CommonJS output: __toESM(require()) and import_fearless.name', async () => {
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'greeting.cjs'), `exports.greet = (who) => 'hello from ' + who;\n`);
    // esbuild --format=cjs output for the same closure, with its bundle prelude.
    const file = path.join(folder, 'esbuild-commonjs.cjs');
    await writeFile(
      file,
      `var import_fearless = require("fearless");
exports.run = () => (0, import_fearless.spawn)((0, import_fearless.move)("esbuild"), async (who) => {
  const greeting = await Promise.resolve().then(() => __toESM(require("./greeting.cjs")));
  const [sender, receiver] = (0, import_fearless.channel)();
  sender.send(1);
  return { greeting: greeting.greet(who), viaDefault: greeting.default.greet(who), received: await receiver.recv() };
}).join();
`,
    );
    const module = (await import(pathToFileURL(file).href)) as { default: { run: () => Promise<unknown> } };
    expect(await module.default.run()).toEqual({ greeting: 'hello from esbuild', viaDefault: 'hello from esbuild', received: 1 });
  });
});
