import { describe, expect, it } from 'vitest';
import { ThreadPanic, ThreadPool } from 'fearless';
import { dieReporting, slotsOfLiveThreads } from '../../dist/test/fixtures/thread/slots.js';

describe('thread slots', () => {
  it('are unique among live threads, never the main thread slot 0, and a dead worker slot is reused', async () => {
    // This file runs in its own process: these pools are its only threads.
    const pool = new ThreadPool({ size: 3 });
    const slots = await slotsOfLiveThreads(pool, 3);
    expect(new Set(slots).size).toBe(3);
    for (const slot of slots) {
      expect(slot).toBeGreaterThanOrEqual(1);
      expect(slot).toBeLessThan(256);
    }

    const died = new Int32Array(new SharedArrayBuffer(4));
    await expect(dieReporting(pool, died)).rejects.toThrow(ThreadPanic);
    expect(slots).toContain(died[0]);
    // The replacement is started after the death clean-up freed the slot: the same one
    // serves again, and the live threads still have distinct slots.
    const after = await slotsOfLiveThreads(pool, 3);
    expect(new Set(after).size).toBe(3);
    expect([...after].sort()).toEqual([...slots].sort());
    await pool.close();
  });
});
