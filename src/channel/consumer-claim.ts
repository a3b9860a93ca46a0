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
import { waitAsync } from './es2024.js';
import { waitAtMost } from './waiting.js';
import { CONSUMER_CLAIM, CONSUMER_WAITING, SENT, SHARED_CONSUMERS } from './layout.js';
import { waitShort } from '../wire/shared-memory.js';

const SLEEPERS = 1 << 16;
const OWNER = SLEEPERS - 1;
const SPINS = 64;
/** As waiting.ts: a message usually follows within a microsecond when producers are busy. */
const RECV_SPINS = 256;

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

/** Takes the consumers' claim (a futex lock with the holder's slot, as ring-lock.ts). */
export function claim(control: Int32Array, slot: number): void {
  const mine = slot + 1;
  if (Atomics.compareExchange(control, CONSUMER_CLAIM, 0, mine) === 0) return;
  for (let spin = 0; spin < SPINS; spin++) {
    if (Atomics.load(control, CONSUMER_CLAIM) === 0 && Atomics.compareExchange(control, CONSUMER_CLAIM, 0, mine) === 0) return;
  }
  for (;;) {
    const seen = Atomics.load(control, CONSUMER_CLAIM);
    if (seen === 0) {
      // Taken with SLEEPERS set: others may still be asleep, and our release must wake them.
      if (Atomics.compareExchange(control, CONSUMER_CLAIM, 0, mine | SLEEPERS) === 0) return;
      continue;
    }
    if ((seen & SLEEPERS) === 0 && Atomics.compareExchange(control, CONSUMER_CLAIM, seen, seen | SLEEPERS) !== seen) continue;
    // Woken by the holder's `unclaim` (or `releaseClaimOf` when the holder died). Held for one
    // record only, so this blocking wait is short even on the main thread.
    waitShort(control, CONSUMER_CLAIM, seen | SLEEPERS);
  }
}

export function unclaim(control: Int32Array, slot: number): void {
  if (Atomics.compareExchange(control, CONSUMER_CLAIM, slot + 1, 0) === slot + 1) return;
  Atomics.store(control, CONSUMER_CLAIM, 0);
  // Wakes one receiver sleeping in `claim`.
  Atomics.notify(control, CONSUMER_CLAIM, 1);
}

/** Main thread, after thread `slot` died: free the claim if that thread held it. */
export function releaseClaimOf(control: Int32Array, slot: number): void {
  const seen = Atomics.load(control, CONSUMER_CLAIM);
  if ((seen & OWNER) !== slot + 1 || Atomics.compareExchange(control, CONSUMER_CLAIM, seen, 0) !== seen) return;
  // The dead holder published nothing it had not finished: its record is still at HEAD for the next.
  Atomics.notify(control, CONSUMER_CLAIM);
}

function spinFor(control: Int32Array, seen: number): boolean {
  for (let spin = 0; spin < RECV_SPINS; spin++) if (Atomics.load(control, SENT) !== seen) return true;
  return false;
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
    const result = waitAsync(control, SENT, seen, timeoutMs);
    if (!result.async) return;
    // A timed wait ends by a ref'd timer of its own (waiting.ts waitAtMost: Deno).
    await (timeoutMs === undefined ? result.value : waitAtMost(result.value, timeoutMs));
  } finally {
    Atomics.add(control, CONSUMER_WAITING, 1);
  }
}
