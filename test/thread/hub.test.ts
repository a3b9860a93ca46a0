import { describe, expect, it } from 'vitest';
import { claimSync, parkedCount, retire, stash } from '../../dist/src/wire/hub.js';
import { encode } from '../../dist/src/wire/encode.js';
import { ThreadPanic, ThreadPool } from 'fearless';
import { claimInWorker, killWorkerOf, stashInWorker, stashManyIn } from '../../dist/test/fixtures/thread/hub.js';

describe('the hub', () => {
  it('a payload parked by a worker is claimed on the main thread: ArrayBuffers moved, SharedArrayBuffers shared', async () => {
    const shared = new Int32Array(new SharedArrayBuffer(4));
    const ticket = await stashInWorker(shared);
    const value = claimSync(ticket) as { note: string; bytes: ArrayBuffer; shared: Int32Array };
    expect(value.note).toBe('from a worker');
    expect([...new Uint8Array(value.bytes)]).toEqual([1, 2, 3]);
    Atomics.store(value.shared, 0, 5);
    expect(shared[0]).toBe(5);
    // Claimed once: it is gone.
    expect(() => claimSync(ticket)).toThrow(`hub ticket ${ticket} is unknown (already claimed or retired)`);
  });

  it('a payload parked on the main thread is claimed synchronously by a worker', async () => {
    const shared = new Int32Array(new SharedArrayBuffer(4));
    const bytes = new ArrayBuffer(10);
    const ticket = stash(encode({ note: 'from main', bytes, shared }, 'test'));
    expect(await claimInWorker(ticket)).toBe('from main, 10 bytes');
    expect(shared[0]).toBe(1);
  });

  it('a payload parked by one worker is claimed by another', async () => {
    const shared = new Int32Array(new SharedArrayBuffer(4));
    const ticket = await stashInWorker(shared);
    expect(await claimInWorker(ticket)).toBe('from a worker, 3 bytes');
    expect(shared[0]).toBe(1);
  });

  it("'many' payloads serve every claim until retired", async () => {
    const shared = new Int32Array(new SharedArrayBuffer(4));
    const ticket = stash(encode({ note: 'for all', bytes: new ArrayBuffer(2), shared }, 'test'), 'many');
    expect(await Promise.all([claimInWorker(ticket), claimInWorker(ticket)])).toEqual(['for all, 2 bytes', 'for all, 2 bytes']);
    expect(shared[0]).toBe(2);
    const before = parkedCount();
    retire(ticket);
    expect(parkedCount()).toBe(before - 1);
    expect(await claimInWorker(ticket)).toBe(`error: hub ticket ${ticket} is unknown (already claimed or retired)`);
  });

  it('tickets stay unique when a dead worker is replaced: its parked payloads are not overwritten', async () => {
    const pool = new ThreadPool({ size: 1 });
    const first = await stashManyIn(pool, 'parked by the worker that dies');
    await expect(killWorkerOf(pool)).rejects.toThrow(ThreadPanic);
    // The replacement thread may get the dead one's slot; its tickets must still be new.
    const second = await stashManyIn(pool, 'parked by its replacement');
    expect(second).not.toBe(first);
    expect(claimSync(first)).toBe('parked by the worker that dies');
    expect(claimSync(second)).toBe('parked by its replacement');
    retire(first);
    retire(second);
    await pool.close();
  });

  it('tickets come from one counter for the main thread and every worker', async () => {
    const before = stash(encode(1, 'test'));
    const fromWorker = await stashInWorker(new Int32Array(new SharedArrayBuffer(4)));
    const after = stash(encode(2, 'test'));
    expect(fromWorker).toBeGreaterThan(before);
    expect(after).toBeGreaterThan(fromWorker);
    for (const ticket of [before, fromWorker, after]) retire(ticket);
  });

  it('rejects a bad claim count', () => {
    expect(() => stash(encode(1, 'test'), 0)).toThrow("hub.stash(): claims must be a positive integer or 'many', got 0");
  });
});
