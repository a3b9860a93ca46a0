import { afterAll, describe, expect, it } from 'vitest';
import { AtomicI32, InvalidArgumentError, Mutex, ThreadPool, channel, move, UseAfterMoveError } from 'fearless';

const pool = new ThreadPool({ size: 2 });
afterAll(() => pool.close());

describe('pool.map(move(...context), items, fn)', () => {
  it('gives every call the context values after the item, results in the items\' order', async () => {
    const items = Array.from({ length: 40 }, (_, index) => index);
    const results = await pool.map(move(1000, { label: 'n' }), items, (item, offset, options) => `${options.label}${item + offset}`);
    expect(results).toEqual(items.map((item) => `n${item + 1000}`));
  });

  it('shares Sync handles: every call on every thread reaches the same atomic and mutex', async () => {
    const calls = new AtomicI32(0);
    const seen = new Mutex<number[]>([]);
    const items = Array.from({ length: 30 }, (_, index) => index);
    const results = await pool.map(move(calls, seen), items, (item, calls, seen) => {
      calls.fetchAdd(1);
      // No `using` in closures written in a test file: vitest's transform would bring helpers
      // the worker does not know (tsc's, used by compiled code, are known).
      const guard = seen.lockSync();
      guard.value.push(item);
      guard[Symbol.dispose]();
      return item * 2;
    });
    expect(results).toEqual(items.map((item) => item * 2));
    expect(calls.load()).toBe(30);
    using guard = seen.lockSync();
    expect([...guard.value].sort((a, b) => a - b)).toEqual(items);
  });

  it('consumes the move(...) like spawn does: the same Moved cannot be given twice', async () => {
    const context = move(5);
    expect(await pool.map(context, [1, 2], (item, add) => item + add)).toEqual([6, 7]);
    await expect(pool.map(context, [1], (item, add) => item + add)).rejects.toThrow(UseAfterMoveError);
  });

  it('refuses a context value that can live in one thread only, leaving it usable', async () => {
    const [tx, rx] = channel<number>();
    await expect(pool.map(move(tx), [1, 2], (item, tx) => tx.send(item))).rejects.toThrow(InvalidArgumentError);
    await expect(pool.map(move(new ArrayBuffer(8)), [1], (item) => item)).rejects.toThrow(/the context is shared by every call.*ArrayBuffer/);
    // Not taken: the sender still works here.
    tx.send(3);
    expect(rx.tryRecv()).toEqual({ ok: true, value: 3 });
  });

  it('names the call when items is not an array', async () => {
    await expect(pool.map(move(1), 'abc' as unknown as number[], (item) => item)).rejects.toThrow('pool.map(move(...context), items, fn): items must be an array');
  });
});
