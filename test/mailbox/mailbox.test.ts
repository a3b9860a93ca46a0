import { afterAll, describe, expect, it } from 'vitest';
import { Mutex, ThreadAbortedError, ThreadPanic, ThreadPool, channel, move } from 'fearless';

// A warm spawn (a function the worker already compiled, arguments and result that are bytes
// alone and fit) travels through the worker's mailbox in shared memory; anything else, and the
// first spawn of a function on a worker, takes a 'run' message. One worker (a pool of size 1) so
// that every spawn below after the first of its function is a mailbox candidate, and the two
// paths alternate on the same worker.
const pool = new ThreadPool({ size: 1 });
afterAll(() => pool.close());

/** Mailbox capacity for arguments and for a result (src/mailbox/mailbox.ts). */
const CAPACITY = 16 * 1024;

describe('the mailbox path of a warm spawn', () => {
  it('carries arguments and results around its capacity exactly as structuredClone would', async () => {
    // The closure returns what it got: sizes below, at and above the limit, both ways. (Plain
    // data only: an ArrayBuffer is moved, which always takes the message path.)
    type Sample = { text: string; numbers: number[]; nested: (number | Date | Set<number> | Map<number, string> | { length: number })[] };
    const echo = (value: Sample) => value;
    const echoText = (text: string) => text;
    for (const length of [0, 1, CAPACITY - 64, CAPACITY - 8, CAPACITY, CAPACITY + 1, 3 * CAPACITY]) {
      const text = 'x'.repeat(length);
      const numbers = Array.from({ length: length >> 4 }, (_, index) => index * 1.5);
      const value = { text, numbers, nested: [length, { length }, new Date(length), new Map([[length, 'n']]), new Set([-0, Number.NaN])] };
      const expected = structuredClone(value);
      expect(await pool.spawn(move(value), echo).join()).toEqual(expected);
      const alone = await pool.spawn(move(text), echoText).join();
      expect(alone).toHaveLength(length);
      expect(alone).toBe(text);
    }
    // A result that grows past the mailbox from small arguments, and one that shrinks back.
    const grow = (count: number) => 'y'.repeat(count);
    expect(await pool.spawn(move(4 * CAPACITY), grow).join()).toHaveLength(4 * CAPACITY);
    expect(await pool.spawn(move(3), grow).join()).toBe('yyy');
  });

  it('alternates with the message path on one worker without mixing up jobs', async () => {
    const shared = new Int32Array(new SharedArrayBuffer(8));
    const counter = new Mutex(0);
    const work = (index: number, extra?: Int32Array | Mutex<number> | ArrayBuffer) => {
      if (extra instanceof Int32Array) Atomics.add(extra, 0, 1);
      return { index, kind: extra === undefined ? 'bytes' : extra instanceof Int32Array ? 'shared' : extra instanceof ArrayBuffer ? `moved ${extra.byteLength}` : 'mutex' };
    };
    const seen: unknown[] = [];
    for (let index = 0; index < 60; index++) {
      const handle =
        index % 4 === 1
          ? pool.spawn(move(index, shared), work)
          : index % 4 === 2
            ? pool.spawn(move(index, counter), work)
            : index % 4 === 3
              ? pool.spawn(move(index, new ArrayBuffer(index)), work)
              : pool.spawn(move(index), work);
      seen.push(await handle.join());
    }
    expect(seen).toEqual(
      Array.from({ length: 60 }, (_, index) => ({
        index,
        kind: index % 4 === 0 ? 'bytes' : index % 4 === 1 ? 'shared' : index % 4 === 2 ? 'mutex' : `moved ${index}`,
      })),
    );
    expect(shared[0]).toBe(15);
  });

  it('returns results that are not bytes alone (a moved Receiver, a SharedArrayBuffer) by message', async () => {
    const make = (label: string) => {
      const [tx, rx] = channel<string>();
      tx.send(label);
      return { rx, memory: new SharedArrayBuffer(4), label };
    };
    for (const label of ['a', 'b', 'c']) {
      const { rx, memory, label: back } = await pool.spawn(move(label), make).join();
      expect(back).toBe(label);
      expect(memory).toBeInstanceOf(SharedArrayBuffer);
      expect(await rx.recv()).toBe(label);
    }
  });

  it('wakes a worker parked for several rounds, for a mailbox job and for a message job', async () => {
    const double = (value: number) => value * 2;
    expect(await pool.spawn(move(1), double).join()).toBe(2);
    // Idle for longer than a few parking rounds (PARK_MS is 50).
    await new Promise((resolve) => setTimeout(resolve, 180));
    expect(await pool.spawn(move(21), double).join()).toBe(42);
    await new Promise((resolve) => setTimeout(resolve, 180));
    const memory = new Int32Array(new SharedArrayBuffer(4));
    await pool.spawn(move(memory), (shared) => Atomics.store(shared, 0, 7)).join();
    expect(memory[0]).toBe(7);
  });

  it('reports a panic of a warm spawn, and the worker serves the next one', async () => {
    const maybeThrow = (fail: boolean) => {
      if (fail) throw new RangeError('asked to fail');
      return 'fine';
    };
    expect(await pool.spawn(move(false), maybeThrow).join()).toBe('fine');
    const failed = pool.spawn(move(true), maybeThrow).join();
    await expect(failed).rejects.toBeInstanceOf(ThreadPanic);
    await expect(failed).rejects.toThrow(/RangeError: asked to fail/);
    expect(await pool.spawn(move(false), maybeThrow).join()).toBe('fine');
  });

  it('aborts a warm spawn that never returns', async () => {
    const own = new ThreadPool({ size: 1 });
    try {
      const spin = (forever: boolean) => {
        while (forever) {
          // Busy until aborted.
        }
        return 'done';
      };
      expect(await own.spawn(move(false), spin).join()).toBe('done');
      const stuck = own.spawn(move(true), spin);
      setTimeout(() => stuck.abort(), 50);
      await expect(stuck.join()).rejects.toBeInstanceOf(ThreadAbortedError);
      expect(await own.spawn(move(false), spin).join()).toBe('done');
    } finally {
      await own.close();
    }
  });

  it('keeps working after more distinct functions than the worker keeps (its table starts over)', async () => {
    // 4,096 is the bound on both sides; every closure here has its own source text.
    const first = (value: number) => value + 1;
    expect(await pool.spawn(move(1), first).join()).toBe(2);
    const results: Promise<number>[] = [];
    for (let index = 0; index < 4_200; index++) {
      // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a distinct source per closure is the point
      const distinct = new Function('value', `return value + ${index};`) as (value: number) => number;
      results.push(pool.spawn(move(index), distinct).join());
    }
    const values = await Promise.all(results);
    expect(values).toEqual(Array.from({ length: 4_200 }, (_, index) => 2 * index));
    // The first function again, and again (the second time by id, through the mailbox).
    expect(await pool.spawn(move(5), first).join()).toBe(6);
    expect(await pool.spawn(move(6), first).join()).toBe(7);
  }, 120_000);
});

describe('the id table of compiled functions (issue 20, item 8)', () => {
  /** What a spawn of `fn` ends with: its error, thrown by spawn or by join. */
  async function failure(fn: (value: number) => number, value: number): Promise<string> {
    try {
      await pool.spawn(move(value), fn).join();
    } catch (error) {
      const { cause } = error as { cause?: { message?: string } };
      return cause?.message ?? (error as Error).message;
    }
    return 'no error';
  }

  it('a closure that does not compile in the worker reports its compile error on every spawn, not only the first', async () => {
    // Sloppy-mode source (a `with` statement): the worker compiles closures in strict mode.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a source the worker cannot compile is the point
    const broken = new Function('value', 'with ({}) { return value; }') as (value: number) => number;
    const messages = [await failure(broken, 1), await failure(broken, 2), await failure(broken, 3)];
    // The second and later spawns go by id (the main thread had sent the source once); the
    // worker used to answer "this worker does not have function N".
    for (const message of messages) expect(message).toMatch(/with statement/);
    expect(await pool.spawn(move(4), (value: number) => value + 1).join()).toBe(5);
  });

  it("keeps the worker's compiled functions and compile cache within the main thread's bound", async () => {
    const results: Promise<number>[] = [];
    for (let index = 0; index < 4_500; index++) {
      // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a distinct source per closure is the point
      const distinct = new Function('value', `return value + ${index};`) as (value: number) => number;
      results.push(pool.spawn(move(index), distinct).join());
    }
    await Promise.all(results);
    const sizes = await pool
      .spawn(() => {
        const debug = (globalThis as unknown as Record<symbol, { functions(): number; compileCache(): number } | undefined>)[Symbol.for('fearless.worker.debug')];
        return debug === undefined ? undefined : { functions: debug.functions(), compileCache: debug.compileCache() };
      })
      .join();
    expect(sizes).toBeDefined();
    // 4,096 on both sides (MAX_FUNCTIONS, src/mailbox/mailbox.ts); the cache grew without bound.
    expect(sizes!.functions).toBeLessThanOrEqual(4_096);
    expect(sizes!.compileCache).toBeLessThanOrEqual(4_096);
  }, 120_000);
});
