import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NotCloneableError, PoolClosedError, ThreadPanic, ThreadPool, move } from 'fearless';

describe('ThreadPool', () => {
  it('map runs every item and keeps their order', async () => {
    const pool = new ThreadPool({ size: 2 });
    const items = Array.from({ length: 50 }, (_, index) => index);
    expect(await pool.map(items, (item, index) => item * 2 + index)).toEqual(items.map((item) => item * 3));
    await pool.close();
  });

  it('map accepts async functions and empty input', async () => {
    const pool = new ThreadPool({ size: 2 });
    expect(
      await pool.map(['a', 'b'], async (item) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return `${item}!`;
      }),
    ).toEqual(['a!', 'b!']);
    expect(await pool.map([], (item: number) => item)).toEqual([]);
    await pool.close();
  });

  it('a throw in one map call rejects with its ThreadPanic', async () => {
    const pool = new ThreadPool({ size: 2 });
    await expect(
      pool.map([1, 2, 3], (item) => {
        if (item === 2) throw new Error(`item ${item} is bad`);
        return item;
      }),
    ).rejects.toMatchObject({ name: 'ThreadPanic', cause: { message: 'item 2 is bad' } });
    await pool.close();
  });

  it('never runs more threads than its size', async () => {
    const pool = new ThreadPool({ size: 2 });
    // [running now, most at once], shared with every task.
    const counters = new Int32Array(new SharedArrayBuffer(8));
    const handles = Array.from({ length: 6 }, () =>
      pool.spawn(move(counters), (counters) => {
        const running = Atomics.add(counters, 0, 1) + 1;
        Atomics.notify(counters, 0);
        // Wait (up to 2 s) until a second task runs beside this one, so the most-at-once count
        // does not depend on timing; a pool that ran 3 would show 3 here.
        const deadline = Date.now() + 2000;
        while (Atomics.load(counters, 0) < 2 && Date.now() < deadline) Atomics.wait(counters, 0, Atomics.load(counters, 0), 10);
        const now = Math.max(running, Atomics.load(counters, 0));
        for (let most = Atomics.load(counters, 1); now > most; most = Atomics.load(counters, 1)) {
          if (Atomics.compareExchange(counters, 1, most, now) === most) break;
        }
        Atomics.sub(counters, 0, 1);
      }),
    );
    expect(pool.threads).toBeLessThanOrEqual(2);
    await Promise.all(handles.map((handle) => handle.join()));
    expect(counters[1]).toBe(2);
    await pool.close();
  });

  it('close waits for queued work, then refuses new work with PoolClosedError', async () => {
    const pool = new ThreadPool({ size: 1 });
    const slow = pool.spawn(move(30), async (ms) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return 'finished';
    });
    const queued = pool.spawn(() => 'queued too');
    await pool.close();
    expect(await slow.join()).toBe('finished');
    expect(await queued.join()).toBe('queued too');
    expect(() => pool.spawn(() => 1)).toThrow(PoolClosedError);
    await expect(pool.map([1], (item) => item)).rejects.toThrow(PoolClosedError);
    expect(pool.threads).toBe(0);
  });

  it('close called twice waits for the same work and resolves both times', async () => {
    const pool = new ThreadPool({ size: 1 });
    const slow = pool.spawn(move(20), async (ms) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return 'finished';
    });
    await Promise.all([pool.close(), pool.close()]);
    expect(await slow.join()).toBe('finished');
    expect(pool.threads).toBe(0);
  });

  it('map refuses an item that cannot cross before sending any: named by its index, nothing detached', async () => {
    const pool = new ThreadPool({ size: 1 });
    const first = new ArrayBuffer(8);
    // A function the types do not see (as behind `any`), in the last chunk.
    const bad = { bytes: new ArrayBuffer(1) };
    Object.defineProperty(bad, 'cb', { value: () => 1, enumerable: true });
    const items = [{ bytes: first }, { bytes: new ArrayBuffer(1) }, { bytes: new ArrayBuffer(1) }, { bytes: new ArrayBuffer(1) }, bad];
    const mapped = pool.map(items, (item) => item.bytes.byteLength);
    await expect(mapped).rejects.toThrow(NotCloneableError);
    await expect(mapped).rejects.toThrow('pool.map() items at [4].cb cannot cross to another thread');
    // The first chunk was not sent: its buffer is still here.
    expect(first.byteLength).toBe(8);
    expect(pool.threads).toBe(0);
    await pool.close();
  });

  it('rejects a bad size, naming it', () => {
    expect(() => new ThreadPool({ size: 0 })).toThrow(InvalidArgumentError);
    expect(() => new ThreadPool({ size: 1.5 })).toThrow('new ThreadPool({ size }): size must be a positive integer, got 1.5');
  });

  it('a panic in a pool thread leaves the pool usable', async () => {
    const pool = new ThreadPool({ size: 1 });
    await expect(
      pool
        .spawn(() => {
          throw new Error('x');
        })
        .join(),
    ).rejects.toThrow(ThreadPanic);
    expect(await pool.spawn(() => 'next').join()).toBe('next');
    await pool.close();
  });
});

describe('a program that uses threads', () => {
  it('exits by itself when its work is done, even with a handle never joined', async () => {
    const script = path.resolve('dist/test/fixtures/thread/exits-by-itself.js');
    const started = Date.now();
    const { stdout } = await promisify(execFile)(process.execPath, [script], { timeout: 20_000 });
    expect(stdout.trim()).toBe('results 1,4,9 mapped 2,3,4,5');
    // Not killed by the timeout: it ended on its own.
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
