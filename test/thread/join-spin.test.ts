import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ThreadAbortedError, ThreadPanic, ThreadPool, move } from 'fearless';
import { BUDGET_MS, joinSpinBudget, joinSpun } from '../../dist/src/thread/join-spin.js';

// join()'s brief wait (src/thread/join-spin.ts): a job handed to a worker that was spinning for
// it may answer within microseconds, and join() takes that answer from the worker's mailbox
// before its message arrives. One worker, told to spin after every answer (the worker's test
// hook), so that every job below is handed over hot.
const pool = new ThreadPool({ size: 1 });
afterAll(() => pool.close());

interface JoinSpinDebug {
  readonly stats: { hits: number; misses: number; stoodDown: number };
  reset(): void;
}
const debug = (globalThis as unknown as Record<symbol, JoinSpinDebug>)[Symbol.for('fearless.joinSpin.debug')]!;

/** Mailbox capacity for a result (src/mailbox/mailbox.ts): a longer one comes by message. */
const CAPACITY = 16 * 1024;

beforeEach(async () => {
  await pool
    .spawn(() => {
      (globalThis as unknown as Record<symbol, { spinAfterEveryAnswer(on: boolean): void }>)[Symbol.for('fearless.worker.debug')]!.spinAfterEveryAnswer(true);
    })
    .join();
  debug.reset();
});

describe("join()'s brief wait for a hot answer", () => {
  it('settles every join with its own job’s outcome, whether the answer is in the mailbox or comes by message', async () => {
    // Small results stay in the mailbox (taken early when the wait sees them); long ones and
    // panics come by message while the mailbox still holds an earlier job's result, which a
    // wait that did not check whose result it is would hand out.
    const work = (index: number, kind: number) => {
      if (kind === 2) throw new Error(`job ${index} fails`);
      return kind === 1 ? `${index}:${'x'.repeat(3 * 16 * 1024)}` : index;
    };
    for (let index = 0; index < 600; index++) {
      const kind = index % 7 === 3 ? 1 : index % 11 === 5 ? 2 : 0;
      const handle = pool.spawn(move(index, kind), work);
      if (kind === 2) {
        const error = await handle.join().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(ThreadPanic);
        expect((error as ThreadPanic).message).toContain(`job ${index} fails`);
      } else if (kind === 1) {
        const text = await handle.join();
        expect(typeof text === 'string' && text.startsWith(`${index}:`) && text.length === `${index}:`.length + 3 * CAPACITY).toBe(true);
      } else {
        expect(await handle.join()).toBe(index);
      }
    }
    // The early path ran (the test would prove nothing otherwise): most small answers were
    // taken from the mailbox.
    expect(debug.stats.hits).toBeGreaterThan(50);
  });

  it('gives up on a long job after its 50 µs and returns the promise: the job still settles the join', async () => {
    const echo = (value: number) => value;
    const long = () => {
      const until = Date.now() + 40;
      while (Date.now() < until) {
        // a job far longer than the wait's 50 µs
      }
      return 'done';
    };
    for (let round = 0; round < 8; round++) {
      // A hit first, so that the long job is handed to a worker still spinning after it.
      const hits = debug.stats.hits;
      for (let index = 0; index < 200 && debug.stats.hits === hits; index++) expect(await pool.spawn(move(index), echo).join()).toBe(index);
      const handle = pool.spawn(long);
      const start = performance.now();
      const joined = handle.join();
      // join() waits 50 µs at most before it returns its promise, never for the job.
      expect(performance.now() - start).toBeLessThan(20);
      expect(await joined).toBe('done');
    }
    // Some of those waits ran out (a long job handed over while the worker spun).
    expect(debug.stats.misses).toBeGreaterThan(0);
    expect(debug.stats.hits).toBeGreaterThan(0);
  });
});

describe("join()'s brief wait and abort", () => {
  it('a job whose join() waited in vain can still be aborted, and the worker takes the next job', async () => {
    const echo = (value: number) => value;
    const stuck = () => {
      for (;;) {
        // until aborted
      }
    };
    for (let round = 0; round < 3; round++) {
      const hits = debug.stats.hits;
      for (let index = 0; index < 200 && debug.stats.hits === hits; index++) await pool.spawn(move(index), echo).join();
      const handle = pool.spawn(stuck);
      const joined = handle.join();
      handle.abort();
      await expect(joined).rejects.toThrow(ThreadAbortedError);
      expect(await pool.spawn(move(round), echo).join()).toBe(round);
    }
  });

  it('an aborted job is not waited for: join() returns at once and rejects', async () => {
    const long = () => {
      const until = Date.now() + 40;
      while (Date.now() < until) {
        // busy
      }
    };
    // Compiled by the worker once, so that the next spawn of it goes through the mailbox, hot.
    await pool.spawn(long).join();
    const hits = debug.stats.hits;
    const echo = (value: number) => value;
    for (let index = 0; index < 200 && debug.stats.hits === hits; index++) await pool.spawn(move(index), echo).join();
    const handle = pool.spawn(long);
    handle.abort();
    const misses = debug.stats.misses;
    const start = performance.now();
    const joined = handle.join();
    expect(performance.now() - start).toBeLessThan(20);
    await expect(joined).rejects.toThrow(ThreadAbortedError);
    // Nothing was waited for: an aborting worker is skipped before the wait starts.
    expect(debug.stats.misses).toBe(misses);
  });
});

describe("the brief wait's stand-down", () => {
  it('tolerates two misses in a row, then skips 2^(k-2) - 1 joins after k misses, and the first hit starts over', () => {
    debug.reset();
    expect(joinSpinBudget()).toBe(BUDGET_MS);
    joinSpun(false);
    joinSpun(false);
    expect(joinSpinBudget()).toBe(BUDGET_MS);
    joinSpun(false);
    // Three in a row: one join stands down.
    expect(joinSpinBudget()).toBe(0);
    expect(joinSpinBudget()).toBe(BUDGET_MS);
    joinSpun(false);
    // Four: three.
    expect([joinSpinBudget(), joinSpinBudget(), joinSpinBudget(), joinSpinBudget()]).toEqual([0, 0, 0, BUDGET_MS]);
    for (let miss = 0; miss < 20; miss++) joinSpun(false);
    // Capped: 2^8 - 1 joins.
    let skipped = 0;
    while (joinSpinBudget() === 0) skipped++;
    expect(skipped).toBe(255);
    joinSpun(true);
    joinSpun(false);
    expect(joinSpinBudget()).toBe(BUDGET_MS);
    expect(debug.stats).toEqual({ hits: 1, misses: 25, stoodDown: 1 + 3 + 255 });
  });
});
