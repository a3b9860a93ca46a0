/**
 * Under vitest, a worker loads the TypeScript modules a closure imports, with the project's
 * own transpiler (src/toolchain/typescript-hooks.ts): vite's transform, which loads the test
 * file, does not reach a worker thread. This file runs under vitest, so it tests just that.
 */
import { describe, expect, it } from 'vitest';
import { move, spawn, spawnExport } from 'fearless';

describe('a closure under vitest imports TypeScript modules', () => {
  it('a relative ./helper.js that exists only as helper.ts', async () => {
    const shouted = await spawn(move('hi'), async (text) => {
      const { shout } = await import('../fixtures/preloads/helper.js');
      return shout(text);
    }).join();
    expect(shouted).toBe('HI!');
  });

  it('spawnExport of a .ts module that imports another', async () => {
    const url = new URL('../fixtures/preloads/tasks.ts', import.meta.url);
    expect(await spawnExport<typeof import('../fixtures/preloads/tasks.js'), 'greet'>(url, 'greet', move('yo')).join()).toBe('>YO!');
  });

  it('a stack trace from the TypeScript module names its .ts file', async () => {
    const error: unknown = await spawn(async () => {
      const { shout } = await import('../fixtures/preloads/helper.js');
      return shout(undefined as unknown as string);
    })
      .join()
      .catch((rejection: unknown) => rejection);
    const stack = String((error as { cause?: { stack?: string } }).cause?.stack);
    expect(stack).toMatch(/Cannot read properties of undefined/);
    // The frame of the throw: shout, in helper.ts (the inline source map of the transpiled module).
    expect(stack).toMatch(/at shout \(.*helper\.ts:\d+:\d+\)/);
  });
});
