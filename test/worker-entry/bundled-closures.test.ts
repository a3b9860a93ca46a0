import { execFileSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// Closures as bundlers leave them in a program that bundles fearless (the names their output
// uses, taken from webpack 5 and vite 8 builds of the consumer fixtures): the worker must give
// those names the package's exports and helpers, and the spawn-time check must let them through.
// Each program runs in a process of its own: imported here, vite's transform would rename them.
const folder = path.resolve(`test/.tmp/bundled-closures-${process.pid}`);
afterAll(() => rm(folder, { recursive: true, force: true }));

interface Outcome {
  readonly value?: unknown;
  readonly error?: string;
  readonly identifier?: string;
}

/** Runs a program whose module exports `run()`, and reports what it returned or threw. */
async function outcomeOf(name: string, source: string): Promise<Outcome> {
  await mkdir(folder, { recursive: true });
  const file = path.join(folder, `${name}.mjs`);
  const report = 'run().then((value) => console.log(JSON.stringify({ value })), (error) => console.log(JSON.stringify({ error: error.name, identifier: error.identifier })));\n';
  await writeFile(file, `${source}${report}`);
  return JSON.parse(execFileSync(process.execPath, [file], { encoding: 'utf8' })) as Outcome;
}

describe('closures from bundles', () => {
  it("webpack's binding of fearless (optimization.mangleExports: false) reaches the package's exports", async () => {
    const outcome = await outcomeOf(
      'webpack',
      `import * as fearless__WEBPACK_IMPORTED_MODULE_3__ from 'fearless';
const run = () => (0, fearless__WEBPACK_IMPORTED_MODULE_3__.spawn)((0, fearless__WEBPACK_IMPORTED_MODULE_3__.move)(41), (n) => {
  const lock = new fearless__WEBPACK_IMPORTED_MODULE_3__.Mutex(n);
  const guard = lock.lockSync();
  guard.value += 1;
  guard[Symbol.dispose]();
  return lock.lockSync().value;
}).join();
`,
    );
    expect(outcome).toEqual({ value: 42 });
  });

  it("webpack's binding of another module is refused at the spawn, naming the import, not the binding", async () => {
    const outcome = await outcomeOf(
      'webpack-capture',
      `import * as fearless__WEBPACK_IMPORTED_MODULE_3__ from 'fearless';
import * as node_crypto__WEBPACK_IMPORTED_MODULE_1__ from 'node:crypto';
const run = async () => (0, fearless__WEBPACK_IMPORTED_MODULE_3__.spawn)(() => (0, node_crypto__WEBPACK_IMPORTED_MODULE_1__.createHash)('sha256').digest('hex'));
`,
    );
    expect(outcome).toEqual({ error: 'CaptureError', identifier: 'createHash' });
  });

  it("vite build's `using` helper, _usingCtx or _usingCtx$1 where the name was taken, disposes in the worker", async () => {
    const outcome = await outcomeOf(
      'vite-build',
      `import { Mutex, move, spawn } from 'fearless';
function _usingCtx$1() {
  throw new Error('the worker must use its own using helper');
}
const run = () => spawn(move(new Mutex(1)), (lock) => {
  try {
    var _usingCtx = _usingCtx$1();
    const guard = _usingCtx.u(lock.lockSync());
    guard.value += 1;
  } catch (_) {
    _usingCtx.e = _;
  } finally {
    _usingCtx.d();
  }
  const again = lock.tryLock();
  const value = again?.value;
  again?.[Symbol.dispose]();
  return value;
}).join();
`,
    );
    expect(outcome).toEqual({ value: 2 });
  });
});
