/**
 * Where channel threads sleep. Every sleeper first announces itself (a flag or counter the
 * waker checks), then re-checks its condition, then sleeps on a word with the value it last
 * saw, so a wake-up between the check and the sleep is never lost (the wait returns at once
 * when the word has moved on).
 *
 * Blocking forms use `Atomics.wait` (workers; on the main thread it blocks the event loop, as a
 * blocking call does in Rust — use the async forms there). Async forms use `Atomics.waitAsync`,
 * which never blocks and does not by itself keep the process alive.
 */
import { waitAsyncUnref } from './es2024.js';
import { timerDelay } from '../sync/deadline.js';
import { CONSUMED, CONSUMER_WAITING, PRODUCERS_WAITING, SENT } from './layout.js';

/**
 * The consumer announces a sleep by writing, in CONSUMER_WAITING, the count it sleeps on plus
 * one (`consumed + 1`, never 0). Only the producer whose publish moves SENT off that count
 * wakes it (RingWriter.wakeConsumer): with sequentially consistent atomics, either that
 * producer sees the announcement, or the consumer's wait sees SENT already moved and returns at
 * once. A token that only says "someone sleeps" is not enough: a producer whose message the
 * consumer had already taken could see the announcement of the next sleep, take it down and
 * notify before that sleep began, and the producer of the message the sleep waits for would
 * then find no announcement — a lost wake-up.
 */
function announce(control: Int32Array, consumed: number): number {
  const token = consumed + 1;
  Atomics.store(control, CONSUMER_WAITING, token);
  return token;
}

/**
 * A message usually follows within a microsecond when producers are busy: checking SENT a few
 * hundred times (a load each) is far cheaper than a sleep and a wake-up through the event loop.
 */
const SPINS = 256;

/** Whether SENT moved off `consumed` within SPINS loads (every receiver spins this before it sleeps). */
export function spinFor(control: Int32Array, consumed: number): boolean {
  for (let spin = 0; spin < SPINS; spin++) if (Atomics.load(control, SENT) !== consumed) return true;
  return false;
}

/**
 * Consumer, blocking: sleep until a message or the end of the stream (or `timeoutMs`).
 * `consumed` is the consumer's count: SENT equals it exactly while the queue is empty and open.
 */
export function consumerSleepSync(control: Int32Array, consumed: number, timeoutMs = Number.POSITIVE_INFINITY): void {
  if (spinFor(control, consumed)) return;
  const mine = announce(control, consumed);
  // Woken by a producer after it published (RingWriter.wakeConsumer), by the last sender's drop
  // (connection.ts releaseSenders) or by this receiver's own close. Returns at once if SENT has
  // moved on (a message came, or DISCONNECTED was set).
  Atomics.wait(control, SENT, consumed, timeoutMs);
  Atomics.compareExchange(control, CONSUMER_WAITING, mine, 0);
}

/** Consumer, async: as `consumerSleepSync` without blocking the thread. */
export async function consumerSleep(control: Int32Array, consumed: number, timeoutMs?: number): Promise<void> {
  if (spinFor(control, consumed)) return;
  const mine = announce(control, consumed);
  // Same wakers as consumerSleepSync.
  const result = waitAsyncUnref(control, SENT, consumed, timeoutMs);
  if (result.async) await (timeoutMs === undefined ? result.value : waitAtMost(result.value, timeoutMs));
  Atomics.compareExchange(control, CONSUMER_WAITING, mine, 0);
}

/**
 * Waits for a pending `Atomics.waitAsync` for at most `ms` (Infinity: until it settles), ended
 * by a timer of our own at the deadline — never by the waitAsync's own timeout alone.
 *
 * Invariant: a timed async wait holds the event loop (a ref'd timer) until it has settled, on
 * every runtime. A pending waitAsync does not hold it by itself, and Deno does not even run its
 * timeout once nothing else does: `await rx.recvTimeout(20)` at a module's top level ended the
 * program ("Top-level await promise never resolved"). A timer that merely outlived the timeout
 * was not enough there either (the waitAsync's timeout still never ran after it): the timer
 * itself ends the wait. The untimed waits (`recv()`, a select without timeout) hold nothing, as
 * on Node: a program whose only work is a receive nobody will answer exits.
 */
export function waitAtMost(wait: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    // +1: the waitAsync's own timeout (at `ms`) usually ends the wait first, where it runs.
    const timer = setTimeout(resolve, timerDelay(ms + 1));
    void wait.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Producer, blocking: sleep until the consumer takes a message or the receiver goes, unless `ready()`. */
export function producerSleepSync(control: Int32Array, ready: () => boolean): void {
  Atomics.add(control, PRODUCERS_WAITING, 1);
  try {
    const seen = Atomics.load(control, CONSUMED);
    // Woken by the consumer after it took a message (RingReader.advance) or by the receiver's
    // drop (connection.ts receiverDropped), both of which move CONSUMED on first.
    if (!ready()) Atomics.wait(control, CONSUMED, seen);
  } finally {
    Atomics.sub(control, PRODUCERS_WAITING, 1);
  }
}

/** Producer, async: as `producerSleepSync` without blocking the thread. */
export async function producerSleep(control: Int32Array, ready: () => boolean): Promise<void> {
  Atomics.add(control, PRODUCERS_WAITING, 1);
  try {
    const seen = Atomics.load(control, CONSUMED);
    if (ready()) return;
    // Same wakers as producerSleepSync.
    const result = waitAsyncUnref(control, CONSUMED, seen);
    if (result.async) await result.value;
  } finally {
    Atomics.sub(control, PRODUCERS_WAITING, 1);
  }
}
