/**
 * esbuild lowers `async` (below ES2017) to `__async(this, arguments, function* () { … })`; the
 * worker provides `__async` (src/toolchain/esbuild.ts, tslib's `__awaiter` underneath). The
 * closures below are written as esbuild emits them, inside a module so that they are sent as
 * their source text.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const folder = path.resolve('test/.tmp/esbuild-async');
afterAll(() => rm(folder, { recursive: true, force: true }));

const esbuildOutput = `import { spawn, move } from 'fearless';
export function awaits() {
  return spawn(move(2), (n) => __async(null, null, function* () {
    const one = yield Promise.resolve(1);
    try {
      yield Promise.reject(new Error('refused'));
    } catch (error) {
      return [one + n, error.message];
    }
  })).join();
}
export function throwsSynchronously() {
  return spawn(() => __async(null, null, function* () {
    throw new TypeError('before any await');
  })).join();
}
export function passesThisAndArguments() {
  return spawn(() => (function () {
    return __async(this, arguments, function* (a, b) { return [this.label, a + b]; });
  }).call({ label: 'this' }, 2, 3)).join();
}
`;

describe("esbuild's __async in a worker", () => {
  it('resolves with the body\'s return, awaiting each yield; a rejection is thrown into the body; this and arguments pass', async () => {
    await mkdir(folder, { recursive: true });
    const file = path.join(folder, 'async.mjs');
    await writeFile(file, esbuildOutput);
    const module = (await import(pathToFileURL(file).href)) as Record<string, () => Promise<unknown>>;
    expect(await module['awaits']!()).toEqual([3, 'refused']);
    await expect(module['throwsSynchronously']!()).rejects.toThrow('before any await');
    expect(await module['passesThisAndArguments']!()).toEqual(['this', 5]);
  });
});
