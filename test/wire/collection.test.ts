import { describe, expect, it } from 'vitest';
import { BATCH, collectionStats, droppedOld, heldUntilCollected, released } from '../../dist/src/wire/collection.js';

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
    expect(collectionStats()).toMatchObject({ collections: start.collections, dropped: start.dropped + BATCH - 1 });
    heldUntilCollected();
    expect(collectionStats()).toMatchObject({ collections: start.collections + 1, dropped: 0 });
  });
});
