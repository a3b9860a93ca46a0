import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AtomicI32, CapacityError, InvalidArgumentError, ThreadPanic, ThreadPool, move } from 'fearless';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

/** A job that holds its thread until `gate` is opened (set to 1). */
const held = (gate: AtomicI32): number => {
  while (gate.load() === 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
  return 1;
};

describe('new ThreadPool({ warm })', () => {
  it('starts the warm threads at construction, and they take the first jobs', async () => {
    const pool = new ThreadPool({ size: 3, warm: 2 });
    try {
      expect(pool.threads).toBe(2);
      const ids = await Promise.all([1, 2].map((n) => pool.spawn(move(n), async (n) => (await import('node:worker_threads')).threadId + n * 0).join()));
      expect(new Set(ids).size).toBe(2);
      expect(pool.threads).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('never keeps the process alive: a program with a warm pool it never closes exits', async () => {
    const index = fileURLToPath(new URL('../../dist/src/index.js', import.meta.url));
    const code = `const { ThreadPool } = await import(${JSON.stringify(index)}); const pool = new ThreadPool({ size: 2, warm: 2 }); console.log(pool.threads);`;
    const result = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      execFile(process.execPath, ['--input-type=module', '-e', code], { timeout: 20_000 }, (error, stdout) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout }));
    });
    expect(result).toEqual({ code: 0, stdout: '2\n' });
  });

  it('refuses a warm count beyond the size, naming it', () => {
    expect(() => new ThreadPool({ size: 2, warm: 3 })).toThrow(InvalidArgumentError);
    expect(() => new ThreadPool({ size: 2, warm: 3 })).toThrow(/new ThreadPool\(\{ warm \}\): warm must be a whole number from 0 to the pool's size \(2\), got 3/);
    expect(() => new ThreadPool({ size: 2, warm: -1 })).toThrow(/warm must be/);
  });
});

describe('new ThreadPool({ idleTimeout })', () => {
  it('ends idle threads beyond warm after the timeout, and starts new ones for later jobs', async () => {
    const pool = new ThreadPool({ size: 3, warm: 1, idleTimeout: 50 });
    try {
      const gate = new AtomicI32(0);
      const handles = [0, 1, 2].map(() => pool.spawn(move(gate), held));
      await until(() => pool.threads === 3);
      gate.store(1);
      expect(await Promise.all(handles.map((handle) => handle.join()))).toEqual([1, 1, 1]);
      await until(() => pool.threads === 1);
      await sleep(150);
      expect(pool.threads).toBe(1); // the warm one stays
      expect(await pool.spawn(() => 2).join()).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('keeps idle threads without it', async () => {
    const pool = new ThreadPool({ size: 2 });
    try {
      const gate = new AtomicI32(1);
      await Promise.all([0, 1].map(() => pool.spawn(move(gate), held).join()));
      await sleep(200);
      expect(pool.threads).toBeGreaterThanOrEqual(1);
      expect(pool.threads).toBeLessThanOrEqual(2);
      const before = pool.threads;
      await sleep(200);
      expect(pool.threads).toBe(before);
    } finally {
      await pool.close();
    }
  });

  it('refuses what is not a number of milliseconds', () => {
    expect(() => new ThreadPool({ idleTimeout: -1 })).toThrow(/new ThreadPool\(\{ idleTimeout \}\): idleTimeout must be a number of milliseconds/);
    expect(() => new ThreadPool({ idleTimeout: '5' as unknown as number })).toThrow(InvalidArgumentError);
  });
});

describe('new ThreadPool({ maxQueue })', () => {
  it('throws CapacityError at the spawn beyond it, before its values move, and takes jobs again once the queue drains', async () => {
    const pool = new ThreadPool({ size: 1, maxQueue: 1 });
    try {
      const gate = new AtomicI32(0);
      const running = pool.spawn(move(gate), held);
      await until(() => pool.threads === 1);
      const queued = pool.spawn(() => 'queued');
      const bytes = new Uint8Array([1, 2, 3]);
      let refused: unknown;
      try {
        pool.spawn(move(bytes), (bytes) => bytes.length);
      } catch (error) {
        refused = error;
      }
      expect(refused).toBeInstanceOf(CapacityError);
      expect((refused as CapacityError).code).toBe('FEARLESS_CAPACITY');
      expect((refused as Error).message).toMatch(/pool\.spawn\(\): the pool's queue is full \(maxQueue: 1 jobs waiting for its 1 threads\)/);
      // Refused before the move: the caller still has its bytes.
      expect(bytes.length).toBe(3);
      expect(() => pool.spawnExport<{ f(): number }, 'f'>('./tasks.js', 'f')).toThrow(/pool\.spawnExport\(\): the pool's queue is full/);
      gate.store(1);
      expect(await running.join()).toBe(1);
      expect(await queued.join()).toBe('queued');
      expect(await pool.spawn(move(bytes), (bytes) => bytes.length).join()).toBe(3);
    } finally {
      await pool.close();
    }
  });

  it('maxQueue 0: a job is taken only when a thread is free', async () => {
    const pool = new ThreadPool({ size: 1, maxQueue: 0 });
    try {
      const gate = new AtomicI32(0);
      const running = pool.spawn(move(gate), held);
      expect(() => pool.spawn(() => 1)).toThrow(CapacityError);
      gate.store(1);
      await running.join();
      await until(() => {
        try {
          void pool.spawn(() => 1).join();
          return true;
        } catch {
          return false;
        }
      });
    } finally {
      await pool.close();
    }
  });

  it('refuses what is not a whole number', () => {
    expect(() => new ThreadPool({ maxQueue: 1.5 })).toThrow(/new ThreadPool\(\{ maxQueue \}\): maxQueue must be a whole number of jobs/);
  });
});

describe('new ThreadPool({ resourceLimits })', () => {
  it("gives each worker the limits: a thread beyond them panics, and the pool goes on", async () => {
    const pool = new ThreadPool({ size: 1, resourceLimits: { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 4 } });
    try {
      const error = await pool
        .spawn(() => {
          const hoard: number[][] = [];
          for (;;) hoard.push(Array.from({ length: 100_000 }, (_, index) => index));
        })
        .join()
        .catch((rejection: unknown) => rejection);
      expect(error).toBeInstanceOf(ThreadPanic);
      expect((error as Error).message).toMatch(/out of memory|ERR_WORKER_OUT_OF_MEMORY/i);
      expect(await pool.spawn(() => 'still here').join()).toBe('still here');
    } finally {
      await pool.close();
    }
  });

  it('refuses what is not an object', () => {
    expect(() => new ThreadPool({ resourceLimits: 5 as never })).toThrow(/resourceLimits must be an object as worker_threads' resourceLimits/);
  });
});
