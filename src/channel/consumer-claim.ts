/**
 * Several receivers on one channel (`receiver.clone()`, crossbeam's multi-consumer channel).
 *
 * A channel that was never cloned keeps the single-consumer protocol untouched: its receiver
 * reads the ring with no lock and keeps HEAD/CONSUMED in its own fields (ring-reader.ts). The
 * first clone switches the channel for good (SHARED_CONSUMERS): from then on a receiver reads
 * under CONSUMER_CLAIM, starting from the shared HEAD/CONSUMED and publishing them before it lets
 * go, so each message is taken by exactly one receiver. The claim is held for one record (its
 * decode included), never across an await.
 *
 * Sleeping: the single consumer announces the exact count it sleeps on (waiting.ts), which one
 * token cannot do for several sleepers. Shared sleepers instead count themselves, negatively,
 * in CONSUMER_WAITING; a producer that sees a negative word after publishing wakes every sleeper
 * on SENT (RingWriter.wakeConsumer). With sequentially consistent atomics either the producer
 * sees the count, or the sleeper's wait sees SENT already moved and returns at once.
 */
import { waitAsyncUnref } from './es2024.js';
import { lock, unlock } from './ring-lock.js';
import { spinFor, waitAtMost } from './waiting.js';
import { CONSUMER_CLAIM, CONSUMER_WAITING, SENT, SHARED_CONSUMERS } from './layout.js';

/** Whether the channel's receivers share the ring (it was cloned once). A plain read: see layout.ts. */
export function consumersShared(control: Int32Array): boolean {
  return control[SHARED_CONSUMERS] !== 0;
}

/**
 * Switches the channel to shared consumers. Called by the receiver being cloned, on its own
 * thread, after it published its position: no other receiver exists yet, so nobody reads the
 * ring by the single-consumer rules after this. That receiver's own pending recv() calls slept
 * by the single-consumer rules: wake them, they sleep again the shared way.
 */
export function shareConsumers(control: Int32Array): void {
  if (Atomics.load(control, SHARED_CONSUMERS) !== 0) return;
  Atomics.store(control, SHARED_CONSUMERS, 1);
  Atomics.store(control, CONSUMER_WAITING, 0);
  Atomics.notify(control, SENT);
}

/**
 * Takes the consumers' claim: the owned lock at CONSUMER_CLAIM (ring-lock.ts). Held for one
 * record only, so its blocking wait is short even on the main thread; a dead holder's claim is
 * freed by the main thread (ring-lock.ts `releaseLocksOf`), and since a holder publishes nothing
 * it has not finished, its record is still at HEAD for the next.
 */
export function claim(control: Int32Array, slot: number): void {
  lock(control, slot, CONSUMER_CLAIM);
}

export function unclaim(control: Int32Array): void {
  unlock(control, CONSUMER_CLAIM);
}

/**
 * A shared receiver, blocking: sleep until SENT moves off `seen` (the count at which it found
 * the queue empty, under the claim), the stream ends, or `timeoutMs`.
 */
export function sharedSleepSync(control: Int32Array, seen: number, timeoutMs = Number.POSITIVE_INFINITY): void {
  if (spinFor(control, seen)) return;
  Atomics.sub(control, CONSUMER_WAITING, 1);
  // Woken by a producer that saw the negative count after publishing, by the last sender's drop,
  // or by a receiver's close. Returns at once if SENT has moved on.
  Atomics.wait(control, SENT, seen, timeoutMs);
  Atomics.add(control, CONSUMER_WAITING, 1);
}

/** A shared receiver, async: as `sharedSleepSync` without blocking the thread. */
export async function sharedSleep(control: Int32Array, seen: number, timeoutMs?: number): Promise<void> {
  if (spinFor(control, seen)) return;
  Atomics.sub(control, CONSUMER_WAITING, 1);
  try {
    // Same wakers as sharedSleepSync.
    const result = waitAsyncUnref(control, SENT, seen, timeoutMs);
    if (!result.async) return;
    // A timed wait ends by a ref'd timer of its own (waiting.ts waitAtMost: Deno).
    await (timeoutMs === undefined ? result.value : waitAtMost(result.value, timeoutMs));
  } finally {
    Atomics.add(control, CONSUMER_WAITING, 1);
  }
}
