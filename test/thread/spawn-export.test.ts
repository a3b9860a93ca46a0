import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ThreadPanic, ThreadPool, move, spawnExport } from '../../dist/src/index.js';
import type * as Tasks from '../fixtures/thread/export-tasks.js';

type TaskModule = typeof Tasks;
const tasks = new URL('../../dist/test/fixtures/thread/export-tasks.js', import.meta.url);

describe('spawnExport: threads from a module export', () => {
  it('runs the export with its module imports and module-level names', async () => {
    const expected = createHash('sha256').update('module-level salt' + 'abc').digest('hex');
    expect(await spawnExport<TaskModule, 'digest'>(tasks, 'digest', move('abc')).join()).toBe(expected);
  });

  it('runs in a worker, and the module instance lives on in that worker between jobs', async () => {
    const pool = new ThreadPool({ size: 1 });
    try {
      const first = await pool.spawnExport<TaskModule, 'countCalls'>(tasks, 'countCalls').join();
      const second = await pool.spawnExport<TaskModule, 'countCalls'>(tasks, 'countCalls').join();
      expect(first.isMainThread).toBe(false);
      expect(second.threadId).toBe(first.threadId);
      expect(second.calls).toBe(first.calls + 1);
    } finally {
      await pool.close();
    }
  });

  it('awaits an async export and moves transferables in', async () => {
    expect(await spawnExport<TaskModule, 'double'>(tasks, 'double', move(21)).join()).toBe(42);
    const values = new Float64Array([1, 2, 3]);
    expect(await spawnExport<TaskModule, 'sum'>(tasks, 'sum', move(values, 10)).join()).toBe(16);
    expect(values.length).toBe(0); // the buffer moved with the values
  });

  it('accepts a URL string, a file path and a specifier relative to the calling file', async () => {
    const viaHref = await spawnExport<TaskModule, 'double'>(tasks.href, 'double', move(1)).join();
    const viaPath = await spawnExport<TaskModule, 'double'>(new URL(tasks).pathname, 'double', move(2)).join();
    const viaRelative = await spawnExport<TaskModule, 'double'>('../../dist/test/fixtures/thread/export-tasks.js', 'double', move(3)).join();
    expect([viaHref, viaPath, viaRelative]).toEqual([2, 4, 6]);
  });

  it('runs a CommonJS module export', async () => {
    const cjs = new URL('../../dist/test/fixtures/thread/export-tasks.cjs', import.meta.url);
    expect(await spawnExport<{ platform: () => string }, 'platform'>(cjs, 'platform').join()).toBe(process.platform);
  });

  it('lets the export spawn a thread of its own', async () => {
    expect(await spawnExport<TaskModule, 'nested'>(tasks, 'nested', move(1)).join()).toBe(2);
  });

  it('reports a throw in the export as a panic with its stack in the module', async () => {
    const error: unknown = await spawnExport<TaskModule, 'fails'>(tasks, 'fails', move('out of range')).join().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThreadPanic);
    expect((error as ThreadPanic).message).toContain('RangeError: out of range');
    // The frame of the throw is the module's own file, as if it had been called here.
    expect((error as ThreadPanic).cause.stack).toMatch(/at fails \(.*export-tasks\.(js|ts):\d+:\d+\)/);
  });

  it('names a missing export and lists the functions the module has', async () => {
    const missing = await spawnExport<Record<string, () => void>, 'nothing'>(tasks, 'nothing').join().catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ThreadPanic);
    expect((missing as Error).message).toMatch(/has no exported function 'nothing'; its exported functions: countCalls, digest, double/);
    const notFunction = await spawnExport<Record<string, () => void>, 'version'>(tasks, 'version').join().catch((e: unknown) => e);
    expect((notFunction as Error).message).toContain("has no exported function 'version'; that export is a string");
  });

  it('reports a module that cannot be found as a panic naming it', async () => {
    const error = await spawnExport<Record<string, () => void>, 'x'>('./no-such-module.js', 'x').join().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThreadPanic);
    expect((error as Error).message).toContain('no-such-module.js');
  });

  it('refuses bad arguments at the call, before anything is sent', () => {
    const call = spawnExport as (module: unknown, name: unknown, moved?: unknown) => unknown;
    expect(() => call(42, 'digest')).toThrow(InvalidArgumentError);
    expect(() => call(tasks, '')).toThrow(/spawnExport\(\): name must be the name of an exported function/);
    expect(() => call(tasks, 'digest', ['abc'])).toThrow(/spawnExport\(\): moved must be the result of move\(\.\.\.\)/);
    const pool = new ThreadPool({ size: 1 });
    expect(() => (pool.spawnExport as (module: unknown, name: unknown) => unknown)(null, 'x')).toThrow(/pool\.spawnExport\(\): module must be a URL or a module specifier/);
    return pool.close();
  });
});
