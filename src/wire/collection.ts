/**
 * Shared memory that only a full garbage collection frees, and the collection that frees it.
 *
 * Every lock's value cell and every channel's queue is a growable SharedArrayBuffer, and a
 * growable buffer is a memory mapping (it reserves its maximum size) until every thread's
 * object for it is collected. The kernel caps mappings (Linux's `vm.max_map_count`, 65,530 by
 * default: ~30,000 such buffers); past the cap V8 cannot map its own heap and ends the process
 * ("Check failed: 0 == munmap", "Committing semi space failed"), beyond any `catch`.
 *
 * The collector does not see this cost: it counts a buffer's committed bytes (a few hundred),
 * not its mapping. And the objects that hold these buffers are registered in a
 * FinalizationRegistry (a worker's tracking of each state it holds, a channel handle's
 * last-resort drop), which V8's young-generation collections treat as strong: they outlive
 * every scavenge and die only in a full collection. A worker that runs short tasks rarely
 * needs one, so a loop of `spawn(move(new Mutex(0)), …)` or of dropped channels used to end
 * the process after ~30,000 iterations.
 *
 * Invariant (the budget): in each thread, a full collection is asked for (`collectGarbage`,
 * #platform) once the events since the last one reach this thread's batch. The events:
 * `heldUntilCollected()`, a registration (counted above `floor`, the number alive after the
 * last collection, lowered as finalizations come in through `released()`, which also counts an
 * explicit unregistration); `droppedOld()`, a reference let go that has probably been promoted
 * (garbage until a full collection); `madeMapping()`, a growable buffer made here. Each event
 * stands for at most one buffer, ~2 mappings, so a thread holds at most ~2 × batch mappings
 * of garbage. The batch is BATCH (2,000), or the number of registrations alive after the last
 * collection (`floor`) when that is more, up to 4 × BATCH: a program that keeps thousands of
 * channels alive would otherwise pay a full collection of its whole heap every 2,000 new ones,
 * freeing nothing (20,000 live channels: 62 µs each instead of 18 µs), while garbage stays
 * bounded (at most ~16,000 mappings a thread, reached only when tens of thousands of states are
 * alive at once). A full collection the engine runs by itself starts the count over too (the
 * sentinel below).
 *
 * Cost: a full collection of a small heap is 5–15 ms, once per batch; a program that does not
 * make and drop shared state never pays it, nor does one whose engine collects often enough.
 * A host that gives no collection (a browser page) keeps the old behaviour.
 */
import { collectGarbage } from '#platform';

/** Events per thread between forced collections, at least (see the invariant). */
export const BATCH = 2000;

/** This thread's batch: BATCH, or as many as were alive after the last collection, up to 4 × BATCH. */
function batch(): number {
  return floor <= BATCH ? BATCH : Math.min(floor, 4 * BATCH);
}

/** Registrations not yet given back. */
let live = 0;
/** `live` when this thread last collected, lowered as the collected ones' finalizations arrive. */
let floor = 0;
/** Since the last collection: objects let go that probably wait for a full one (droppedOld), and growable buffers made (madeMapping). */
let pending = 0;
/** Forced collections so far, and full collections noticed by the sentinel (the test hook). */
let collections = 0;
let noticed = 0;

/**
 * Notices a full collection, whoever ran it: an object registered here dies only in one (young
 * collections keep registered objects alive), and its finalization starts the budget over. A
 * program whose own allocation makes the engine collect often (a server with a large heap)
 * then never pays a forced collection, which would cost it a full pass over that heap; one
 * planted at a time, from the first event on.
 */
const sentinel = new FinalizationRegistry<undefined>(() => {
  planted = false;
  noticed++;
  startOver();
  plant();
});
let planted = false;

function plant(): void {
  planted = true;
  sentinel.register({}, undefined);
}

function startOver(): void {
  floor = live;
  pending = 0;
}

/** One more registered object whose buffer only a full collection of this thread can free. */
export function heldUntilCollected(): void {
  if (!planted) plant();
  live++;
  if (live - floor + pending >= batch()) collect();
}

/** One given back: finalized, or unregistered because it was closed explicitly. */
export function released(): void {
  live--;
  if (live < floor) floor = live;
}

/**
 * This thread let go of an object that holds such a buffer and has probably lived through
 * young collections already (the main thread's record of a state a worker held, dropped when
 * the worker's finalization reports it): garbage that waits for a full collection.
 */
export function droppedOld(): void {
  pendingOne();
}

/**
 * This thread made a growable buffer (wire/shared-memory.ts). Unregistered, its objects die in a
 * young collection, but young collections come by bytes allocated, and a lock or channel weighs
 * a few hundred bytes: a loop that makes them and little else makes tens of thousands between
 * two young collections, each a mapping. So each one counts like a dropped record.
 */
export function madeMapping(): void {
  pendingOne();
}

function pendingOne(): void {
  if (!planted) plant();
  pending++;
  if (live - floor + pending >= batch()) collect();
}

function collect(): void {
  startOver();
  if (collectGarbage()) collections++;
}

/** The test hook: what this thread's budget holds and how often it collected. */
export function collectionStats(): { readonly live: number; readonly floor: number; readonly pending: number; readonly collections: number; readonly noticed: number; readonly batch: number } {
  return { live, floor, pending, collections, noticed, batch: batch() };
}
