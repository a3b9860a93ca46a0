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
 * Invariant (the budget): in each thread, at most BATCH such registrations made since this
 * thread's last full collection remain uncollected (`pressure`), unless they are still alive:
 * `heldUntilCollected()` counts one; `released()` counts one given back (its finalization ran,
 * or it was unregistered by an explicit close); `droppedOld()` counts a reference let go
 * that has probably been promoted (garbage until a full collection), `madeMapping()` a growable
 * buffer made here. Reaching BATCH of them together — registrations above the number alive
 * after the last collection (`floor`, lowered as finalizations come in), plus drops and buffers
 * made since — asks the host for a full collection (`collectGarbage`, #platform). Each registration stands for at most one buffer, so
 * at most ~2 × BATCH mappings of garbage per thread; states the program keeps alive do not
 * count against it (the floor rises with them) and do not make collections more frequent.
 *
 * Cost: a full collection of a small worker heap is 1–5 ms, once per BATCH registrations; a
 * program that does not churn shared state never pays it. A host that gives no collection (a
 * browser page) keeps the old behaviour.
 */
import { collectGarbage } from '#platform';

/** Registrations per thread between forced collections (see the invariant). */
export const BATCH = 2000;

/** Registrations not yet given back. */
let live = 0;
/** `live` when this thread last collected, lowered as the collected ones' finalizations arrive. */
let floor = 0;
/** Since the last collection: objects let go that probably wait for a full one (droppedOld), and growable buffers made (madeMapping). */
let pending = 0;
/** Forced collections so far (the test hook). */
let collections = 0;

/** One more registered object whose buffer only a full collection of this thread can free. */
export function heldUntilCollected(): void {
  live++;
  if (live - floor + pending >= BATCH) collect();
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
  pending++;
  if (live - floor + pending >= BATCH) collect();
}

/**
 * This thread made a growable buffer (wire/shared-memory.ts). Unregistered, its objects die in a
 * young collection, but young collections come by bytes allocated, and a lock or channel weighs
 * a few hundred bytes: a loop that makes them and little else makes tens of thousands between
 * two young collections, each a mapping. So each one counts like a dropped record.
 */
export function madeMapping(): void {
  pending++;
  if (live - floor + pending >= BATCH) collect();
}

function collect(): void {
  floor = live;
  pending = 0;
  if (collectGarbage()) collections++;
}

/** The test hook: what this thread's budget holds and how often it collected. */
export function collectionStats(): { readonly live: number; readonly floor: number; readonly pending: number; readonly collections: number } {
  return { live, floor, pending, collections };
}
