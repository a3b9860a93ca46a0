import { describe, expect, it } from 'vitest';
import { BATCH, collectionStats, droppedOld, heldUntilCollected, released } from '../../dist/src/wire/collection.js';
import { growableSharedArrayBuffer } from '../../dist/src/wire/shared-memory.js';

// The per-thread budget of src/wire/collection.ts, driven directly (this file's module state
// is its own: vitest loads each test file afresh).
describe('the collection budget (registrations that only a full collection frees)', () => {
  it('asks for a full collection once BATCH registrations above the live floor are reached, not before', () => {
    const start = collectionStats();
    for (let index = 0; index < BATCH - 1; index++) heldUntilCollected();
    expect(collectionStats().collections).toBe(start.collections);
    heldUntilCollected();
    expect(collectionStats()).toMatchObject({ collections: start.collections + 1, live: start.live + BATCH, floor: start.live + BATCH });
  });

  it('states that stay alive raise the floor: the next collection comes after BATCH more, not at every registration', () => {
    const start = collectionStats();
    for (let index = 0; index < 2 * BATCH; index++) heldUntilCollected();
    expect(collectionStats().collections).toBe(start.collections + 2);
    for (let index = 0; index < BATCH - 1; index++) heldUntilCollected();
    expect(collectionStats().collections).toBe(start.collections + 2);
  });

  it('finalizations lower the floor, so garbage made after them counts again', () => {
    const start = collectionStats();
    for (let index = 0; index < BATCH; index++) heldUntilCollected();
    expect(collectionStats().collections).toBe(start.collections + 1);
    // The collection freed them: their finalizations arrive.
    for (let index = 0; index < BATCH; index++) released();
    expect(collectionStats().floor).toBe(start.live);
    for (let index = 0; index < BATCH - 1; index++) heldUntilCollected();
    expect(collectionStats().collections).toBe(start.collections + 1);
    heldUntilCollected();
    expect(collectionStats().collections).toBe(start.collections + 2);
  });

  it('references let go that may wait for a full collection count too, and a collection starts the count over', () => {
    const start = collectionStats();
    for (let index = 0; index < BATCH - 1; index++) droppedOld();
    expect(collectionStats()).toMatchObject({ collections: start.collections, pending: start.pending + BATCH - 1 });
    heldUntilCollected();
    expect(collectionStats()).toMatchObject({ collections: start.collections + 1, pending: 0 });
  });

  it('every growable buffer made in this thread counts: unregistered objects wait for a young collection, which may be far off', () => {
    const start = collectionStats();
    const made = Array.from({ length: 3 }, () => growableSharedArrayBuffer(8, 64));
    expect(made.every((buffer) => buffer.growable)).toBe(true);
    expect(collectionStats().pending - start.pending).toBe(3);
  });
});
