/**
 * How `select` sleeps on several channels at once. Atomics has no wait on several words, so:
 *
 * - async: one `Atomics.waitAsync` per channel, raced. A waitAsync cannot be cancelled, so the
 *   ones that lost the race stay registered until their word is notified; each receiver keeps
 *   its pending one and hands it to the next select that would wait on the same count, instead
 *   of adding a waiter per call (a loop selecting over a quiet channel keeps one waiter there).
 *   The announcement (waiting.ts's token, or consumer-claim.ts's count for cloned receivers) is
 *   left in place while the wait is pending, so the producer that moves the word notifies it.
 * - blocking: the thread sleeps on one channel's word at a time, for a slice that grows from
 *   50 µs to 2 ms, and polls every channel between slices. A message on the channel slept on
 *   wakes it at once; on another, within the slice.
 */
import { waitAsyncUnref } from './es2024.js';
import { CONSUMER_WAITING, SENT } from './layout.js';
import { consumersShared } from './consumer-claim.js';
import { operationEnds, operationStarts, type ChannelMemory } from './connection.js';

/** A receiver's pending select wait: valid for reuse while `pending` and the count is `seen`. */
export interface ParkedWait {
  readonly seen: number;
  pending: boolean;
  readonly promise: Promise<void>;
}

const settled: Promise<void> = Promise.resolve();

/**
 * Announces a sleep on `control` at count `seen` (where the caller's last poll found the queue
 * empty) and returns a promise that resolves once SENT may have moved off it. `parked` is the
 * receiver's previous wait, reused when it still fits.
 */
export function parkOn(memory: ChannelMemory, seen: number, parked: ParkedWait | undefined): ParkedWait {
  const control = memory.control;
  const shared = consumersShared(control);
  if (parked !== undefined && parked.pending && parked.seen === seen) {
    // A single consumer's token may have been taken down by a recv() of the same receiver since:
    // put it back so the producer that moves SENT off `seen` notifies. (A shared waiter is
    // still counted: it counts itself until it resolves.)
    if (!shared) Atomics.store(control, CONSUMER_WAITING, seen + 1);
    return parked;
  }
  if (shared) Atomics.sub(control, CONSUMER_WAITING, 1);
  else Atomics.store(control, CONSUMER_WAITING, seen + 1);
  // Woken by the producer whose publish moves SENT off `seen` (it sees the announcement), by the
  // last sender's drop, or by a receiver's close or first clone; at once if SENT has moved.
  const result = waitAsyncUnref(control, SENT, seen);
  if (!result.async) {
    if (shared) Atomics.add(control, CONSUMER_WAITING, 1);
    return { seen, pending: false, promise: settled };
  }
  // A pending wait is an operation in flight until it resolves, even after the select that made
  // it returned: its clean-up below writes the channel's wake-up count, which must still be
  // this channel's (connection.ts recycleIfDone). The closes that let the memory go wake it.
  const counted = operationStarts(memory);
  const wait: ParkedWait = {
    seen,
    pending: true,
    promise: result.value.then(() => {
      wait.pending = false;
      if (shared) Atomics.add(control, CONSUMER_WAITING, 1);
      if (counted) operationEnds(memory);
    }),
  };
  return wait;
}

/** Blocks on `control`'s SENT at count `seen` for at most `ms` (the blocking select's slice). */
export function sleepSlice(control: Int32Array, seen: number, ms: number): void {
  const shared = consumersShared(control);
  if (shared) Atomics.sub(control, CONSUMER_WAITING, 1);
  else Atomics.store(control, CONSUMER_WAITING, seen + 1);
  // Same wakers as parkOn.
  Atomics.wait(control, SENT, seen, ms);
  if (shared) Atomics.add(control, CONSUMER_WAITING, 1);
  else Atomics.compareExchange(control, CONSUMER_WAITING, seen + 1, 0);
}
