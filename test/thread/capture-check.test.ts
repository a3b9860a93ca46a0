import { describe, expect, it } from 'vitest';
import { Mutex, ThreadPool, move, spawn } from 'fearless';
import { salted, sha, shaInside } from '../../dist/test/fixtures/thread/by-reference.js';
import { captureOf } from './capture-of.js';


describe('spawn checks the names a function uses, on the calling thread', () => {
  it('a function passed by reference that reads a module-level import fails at the spawn call, naming it and the fix', () => {
    const error = captureOf(() => spawn(move('abc'), sha));
    expect(error.code).toBe('FEARLESS_CAPTURE');
    expect(error.identifier).toBe('createHash');
    expect(error.message).toMatch(/function sha uses `createHash`/);
    expect(error.message).toMatch(/await import\(/);
    expect(error.message).toMatch(/move\(\.\.\.\)/);
  });

  it('the same function importing inside itself runs', async () => {
    expect(await spawn(move('abc'), shaInside).join()).toBe(sha('abc'));
  });

  it('an outer variable (here a module constant) is reported by name', () => {
    expect(captureOf(() => spawn(move('x'), salted)).identifier).toBe('salt');
    const limit = 3;
    expect(captureOf(() => spawn(() => limit * 2)).identifier).toBe('limit');
  });

  it('nothing is moved when the check fails: the buffer stays with the caller', () => {
    const buffer = new ArrayBuffer(8);
    const outer = 1;
    captureOf(() => spawn(move(buffer), (b: ArrayBuffer) => b.byteLength + outer));
    expect(buffer.byteLength).toBe(8);
  });

  it('pool.spawn and pool.map check too', async () => {
    const pool = new ThreadPool({ size: 1 });
    const factor = 2;
    try {
      expect(captureOf(() => pool.spawn(() => factor)).identifier).toBe('factor');
      await expect(pool.map([1, 2], (x) => x * factor)).rejects.toMatchObject({ code: 'FEARLESS_CAPTURE', identifier: 'factor' });
    } finally {
      await pool.close();
    }
  });

  it('import.meta is reported: a function compiled from text has none', () => {
    expect(captureOf(() => spawn(() => import.meta.url)).identifier).toBe('import.meta');
  });

  it('accepts globals, locals of every kind, typeof of a missing name, and the package exports', async () => {
    const result = await spawn(move([3, 1, 2]), (values: number[]) => {
      const [first = 0, ...rest] = values;
      const { length } = rest;
      let total = 0;
      outer: for (const value of values) {
        for (let index = 0; index < 1; index++) {
          if (value > 100) break outer;
          total += value;
        }
      }
      class Box {
        static made = 0;
        constructor(readonly inside: number) {
          Box.made++;
        }
      }
      function twice(n: number): number {
        return n === 0 ? 0 : 2 + twice(n - 1);
      }
      let caught = '';
      try {
        JSON.parse('{');
      } catch (error) {
        caught = (error as Error).name;
      }
      const lock = new Mutex(Math.max(first, length));
      const missing = typeof (globalThis as { nowhere?: unknown }).nowhere;
      // @ts-expect-error -- a name that exists nowhere, only under typeof
      const alsoMissing = typeof nowhereAtAll;
      return [total, new Box(1).inside, twice(2), caught, lock.lockSync().value, missing, alsoMissing, Buffer.from('a').length, typeof setTimeout];
    }).join();
    expect(result).toEqual([6, 1, 4, 'SyntaxError', 3, 'undefined', 'undefined', 1, 'function']);
  });

  it('a spawned closure is checked once: the second spawn of the same function reuses the result', async () => {
    const fn = (n: number) => n + 1;
    expect(await spawn(move(1), fn).join()).toBe(2);
    expect(await spawn(move(2), fn).join()).toBe(3);
  });
});

describe('CaptureError advises what fits the case (issue 23, item 5)', async () => {
  const { advice } = await import('../../dist/test/fixtures/thread/advice.js');

  it('a local constant: move it', () => {
    expect(advice.localConst()).toBe('Pass its value with move(...) so it arrives as a parameter: spawn(move(limit), (limit) => …).');
  });

  it('a function or a class: never "move" it; define it inside, import it inside, or spawnExport', () => {
    for (const [text, name, what] of [
      [advice.localFunction(), 'helper', 'a function'],
      [advice.localClass(), 'Counter', 'a class'],
    ] as const) {
      expect(text).toContain(`\`${name}\` is ${what}, and code cannot be moved to a thread: define it inside the function`);
      expect(text).toContain(`spawnExport(new URL('./module.js', import.meta.url), '${name}', move(...))`);
      expect(text).not.toMatch(/Pass its value with move/);
    }
  });

  it('an import of the calling file: that very import, written inside', () => {
    expect(advice.importedFunction()).toMatch(/^`createHash` is imported from 'node:crypto' in the calling file\. Import it inside the function \(`const \{ createHash \} = await import\('node:crypto'\)`\)/);
    expect(advice.importedFunction()).not.toMatch(/pass its value with move/);
    expect(advice.namespaceImport()).toMatch(/`path` is imported from 'node:path' in the calling file\. Import it inside the function \(`const path = await import\('node:path'\)`\)/);
  });

  it("a bundler's module initialiser: the module was inlined into the bundle", () => {
    // esbuild's name for the code that runs a module it inlined, as a bundle's closure has it.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the closure text a bundle holds, which no declaration here can type
    const bundled = new Function('return () => { init_helper(); return 1; }') as () => () => number;
    const error = captureOf(() => spawn(bundled()));
    expect(error.identifier).toBe('init_helper');
    expect(error.message).toMatch(/`init_helper` is a bundler's code for a module it inlined into the bundle/);
  });
});
