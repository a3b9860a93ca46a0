import { afterAll, describe, expect, it } from 'vitest';
import { AtomicI32, ThreadPool, move } from 'fearless';

// One thread: every task below runs on the same reused worker (unless it is retired).
const pool = new ThreadPool({ size: 1 });
afterAll(() => pool.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('tasks on a reused worker are isolated from each other', () => {
  it('a timer a finished task left behind never fires into the next task', async () => {
    await pool.spawn(() => {
      setTimeout(() => {
        throw new Error('stray timer from thread A');
      }, 100);
      return 'A';
    }).join();
    // Task B outlives A's timer on the same worker; it used to die of A's throw.
    const b = await pool.spawn(async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return 'B';
    }).join();
    expect(b).toBe('B');
  });

  it('intervals and immediates are cleared when their task ends', async () => {
    const ticks = new AtomicI32(0);
    await pool.spawn(move(ticks), (ticks) => {
      setInterval(() => ticks.fetchAdd(1), 5);
      setImmediate(() => ticks.fetchAdd(1000));
      ticks.store(0);
    }).join();
    await pool.spawn(async () => new Promise<void>((resolve) => setTimeout(resolve, 100))).join();
    await sleep(50);
    expect(ticks.load()).toBe(0);
  });

  it('a timer the task itself awaits still works', async () => {
    expect(await pool.spawn(async () => new Promise<string>((resolve) => setTimeout(() => resolve('fired'), 20))).join()).toBe('fired');
  });

  it('globals a task added are gone for the next task', async () => {
    await pool.spawn(() => {
      (globalThis as Record<string, unknown>)['leftover'] = { secret: 42 };
    }).join();
    expect(await pool.spawn(() => typeof (globalThis as Record<string, unknown>)['leftover']).join()).toBe('undefined');
    // The worker's own globals are untouched.
    expect(await pool.spawn(() => [typeof setTimeout, typeof structuredClone, typeof queueMicrotask]).join()).toEqual(['function', 'function', 'function']);
  });

  it('a module that installs a global when it is evaluated keeps it across tasks (its state survives as in a plain worker)', async () => {
    const lib = new URL('../../dist/test/fixtures/lifecycle/global-lib.js', import.meta.url).href;
    const use = async (url: string) => {
      const { useRegistry } = (await import(url)) as typeof import('../fixtures/lifecycle/global-lib.js');
      return useRegistry();
    };
    expect(await pool.spawn(move(lib), use).join()).toBe(1);
    // Same worker, module already loaded (not evaluated again): the global it installed is its state.
    expect(await pool.spawn(move(lib), use).join()).toBe(2);
    // A task that imports nothing sees the module's global too (it is the worker's now).
    expect(await pool.spawn(() => typeof (globalThis as Record<string, unknown>)['__fearlessTestRegistry']).join()).toBe('object');
    expect(await pool.spawn(move(lib), use).join()).toBe(3);
  });

  it("a task that imports nothing still has its globals deleted after a module's were kept", async () => {
    await pool.spawn(() => {
      (globalThis as Record<string, unknown>)['leftoverAfterModules'] = 1;
    }).join();
    expect(await pool.spawn(() => 'leftoverAfterModules' in globalThis).join()).toBe(false);
  });

  it('a global that cannot be deleted retires the worker instead', async () => {
    await pool.spawn(() => {
      Object.defineProperty(globalThis, 'stuck', { value: 1, enumerable: true, configurable: false });
    }).join();
    expect(await pool.spawn(() => 'stuck' in globalThis).join()).toBe(false);
  });
});
