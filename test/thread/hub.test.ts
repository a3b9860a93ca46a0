import { describe, expect, it } from 'vitest';
import { claimSync, parkedCount, retire, stash } from '../../dist/src/hub/hub.js';
import { encodeEnvelope as encode } from '../../dist/src/codec/envelope.js';
import { claimInWorker, slotOf, stashInWorker } from '../../dist/test/fixtures/thread/hub.js';
import { ThreadPool } from 'fearless';

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

  it('rejects a bad claim count', () => {
    expect(() => stash(encode(1, 'test'), 0)).toThrow("hub.stash(): claims must be a positive integer or 'many', got 0");
  });
});

describe('hub tickets', () => {
  it('stay unique when a dead worker is replaced in the same slot', async () => {
    const pool = new ThreadPool({ size: 1 });
    const shared = new Int32Array(new SharedArrayBuffer(4));
    const slotBefore = await slotOf(pool);
    const first = await stashInWorker(shared, pool);
    await pool
      .spawn(() => {
        process.exit(1);
      })
      .join()
      .catch(() => {});
    // The replacement starts fresh in the freed slot; a per-thread counter would restart too.
    expect(await slotOf(pool)).toBe(slotBefore);
    const second = await stashInWorker(shared, pool);
    expect(second).not.toBe(first);
    retire(first);
    retire(second);
    await pool.close();
  });
});
