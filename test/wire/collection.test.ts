import { beforeEach, describe, expect, it } from 'vitest';
import { BATCH, collectionStats, droppedOld, heldUntilCollected, released } from '../../dist/src/wire/collection.js';
import { growableSharedArrayBuffer } from '../../dist/src/wire/shared-memory.js';
import { collectGarbage } from '../../dist/src/platform/node.js';

// The per-thread budget of src/wire/collection.ts, driven directly (this file's module state
// is its own: vitest loads each test file afresh).

function repeat(times: number, step: () => void): void {
  for (let index = 0; index < times; index++) step();
}

/** Nothing alive, nothing pending: what earlier tests left is given back and spent. */
function reset(): void {
  repeat(collectionStats().live, released);
  const { collections } = collectionStats();
  while (collectionStats().collections === collections) heldUntilCollected();
  repeat(collectionStats().live, released);
}

describe('the collection budget (events that only a full collection frees)', () => {
  beforeEach(reset);

  it('starts from a clean state', () => {
    expect(collectionStats()).toMatchObject({ live: 0, floor: 0, pending: 0, batch: BATCH });
  });

  it('asks for a full collection once BATCH registrations above the live floor are reached, not before', () => {
    const start = collectionStats();
    repeat(BATCH - 1, heldUntilCollected);
    expect(collectionStats().collections).toBe(start.collections);
    heldUntilCollected();
    expect(collectionStats()).toMatchObject({ collections: start.collections + 1, live: BATCH, floor: BATCH });
  });

  it('finalizations lower the floor, so garbage made after them counts again', () => {
    const start = collectionStats();
    repeat(BATCH, heldUntilCollected);
    expect(collectionStats().collections).toBe(start.collections + 1);
    // The collection freed them: their finalizations arrive.
    repeat(BATCH, released);
    expect(collectionStats().floor).toBe(0);
    repeat(BATCH - 1, heldUntilCollected);
    expect(collectionStats().collections).toBe(start.collections + 1);
    heldUntilCollected();
    expect(collectionStats().collections).toBe(start.collections + 2);
  });

  it('with many states alive the batch grows to what was alive at the last collection, up to 4 × BATCH: collections that free nothing come ever less often', () => {
    const start = collectionStats();
    const seen: number[] = [];
    for (let count = 1; count <= 12 * BATCH; count++) {
      const before = collectionStats().collections;
      heldUntilCollected();
      if (collectionStats().collections !== before) seen.push(count);
    }
    // At 1×, 2×, 4×, 8× BATCH (the batch doubling with what is alive), then every 4 × BATCH.
    expect(seen).toEqual([BATCH, 2 * BATCH, 4 * BATCH, 8 * BATCH, 12 * BATCH]);
    expect(collectionStats()).toMatchObject({ collections: start.collections + 5, batch: 4 * BATCH });
  });

  it('references let go that may wait for a full collection count too, and a collection starts the count over', () => {
    const start = collectionStats();
    repeat(BATCH - 1, droppedOld);
    expect(collectionStats()).toMatchObject({ collections: start.collections, pending: BATCH - 1 });
    heldUntilCollected();
    expect(collectionStats()).toMatchObject({ collections: start.collections + 1, pending: 0 });
  });

  it('every growable buffer made in this thread counts: unregistered objects wait for a young collection, which may be far off', () => {
    const made = Array.from({ length: 3 }, () => growableSharedArrayBuffer(8, 64));
    expect(made.every((buffer) => buffer.growable)).toBe(true);
    expect(collectionStats().pending).toBe(3);
  });

  it('a full collection it did not ask for starts the count over: the engine collecting often enough means no forced collection', async () => {
    repeat(BATCH / 2, heldUntilCollected);
    repeat(BATCH / 4, droppedOld);
    const start = collectionStats();
    expect(start).toMatchObject({ live: BATCH / 2, floor: 0, pending: BATCH / 4 });
    // A collection the budget did not run (as the engine's own would be); the sentinel's
    // finalization arrives in a later task.
    expect(collectGarbage()).toBe(true);
    for (let turn = 0; turn < 20 && collectionStats().noticed === start.noticed; turn++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(collectionStats()).toMatchObject({ noticed: start.noticed + 1, collections: start.collections, live: BATCH / 2, floor: BATCH / 2, pending: 0 });
  });
});
