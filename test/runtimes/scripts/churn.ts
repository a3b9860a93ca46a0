/**
 * Short-lived locks and channels under the runtime running this script: each growable buffer is
 * a memory mapping until collected, and the objects holding them outlive young collections, so
 * each thread forces a full collection every so often (src/wire/collection.ts) — through V8's
 * gc on Node and Deno, `Bun.gc` on Bun. Without it each check grows by ~2 mappings an iteration.
 * Linux only (it counts /proc/self/maps lines); elsewhere it checks that the loops complete.
 */
import assert from 'node:assert/strict';
import { droppedChannels, freshMutexPerSpawn, mappings } from '../../fixtures/lifecycle/churn-loops.js';
import { suite } from './suite.js';

const check = suite('churn');
const iterations = 8_000;
/** Mappings a check may leave behind: the budget's garbage (2,000 registrations, ~2 mappings each, per thread). */
const bound = 8_000;

async function bounded(loop: (count: number) => Promise<void>): Promise<void> {
  await loop(200);
  const before = mappings();
  await loop(iterations);
  const after = mappings();
  if (before !== undefined && after !== undefined) assert.ok(after - before < bound, `mappings grew by ${after - before} over ${iterations} iterations`);
}

await check(`a fresh Mutex moved into each of ${iterations} spawns leaves the mappings bounded`, () => bounded(freshMutexPerSpawn));

await check(`${iterations} channels dropped without a close leave the mappings bounded`, () => bounded((count) => droppedChannels(count, true)));
