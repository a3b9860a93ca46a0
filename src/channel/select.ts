/**
 * `select` / `selectSync`: receive from whichever of several channels is ready first
 * (crossbeam's `select!` over receive operations).
 *
 * Semantics, as crossbeam's: a receiver is ready when it has a message, or when its channel is
 * disconnected and drained (then `{ index, ok: false }`, as a `recv` that would fail: select
 * returns it at once each time, so drop such a receiver from the list). When several are ready,
 * one is chosen at random, so a busy channel cannot starve the others. With `timeout` (ms) and
 * nothing ready in time: RecvTimeoutError (`disconnected: false`). Exactly one message is taken
 * per call: the others stay in their queues.
 */
import { RecvTimeoutError, invalidArgument, checkMayBlock } from '../errors.js';
import { deadlineAfter, timerDelay } from '../sync/deadline.js';
import { onHand, PendingClaim } from './hub-bridge.js';
import { ENDED, NOTHING, Receiver, selectPark, selectPoll, selectSleep } from './receiver.js';

/** One receiver's outcome at index `Index`: a message, or its channel disconnected and drained. */
export type SelectedAt<Index extends number, Message> =
  | { readonly index: Index; readonly ok: true; readonly value: Message }
  | { readonly index: Index; readonly ok: false };

/** A tuple key ("0", "1"...) as its number; `number` for a plain array's keys. */
type IndexOf<Key> = Key extends `${infer Index extends number}` ? Index : number;

/**
 * What `select(receivers)` gives: a union discriminated by `index`, carrying each receiver's
 * message type — narrowing on `index` (and `ok`) gives `value` the right type.
 *
 * @example
 * ```ts
 * const picked = await select([numbers, words] as const);
 * if (picked.index === 0 && picked.ok) picked.value; // number
 * if (picked.index === 1 && picked.ok) picked.value; // string
 * ```
 */
export type Selected<Receivers extends readonly Receiver<unknown>[]> = {
  [Key in keyof Receivers]: Receivers[Key] extends Receiver<infer Message> ? SelectedAt<IndexOf<Key>, Message> : never;
}[number];

export interface SelectOptions {
  /** Milliseconds to wait at most; without it, select waits until a receiver is ready. */
  readonly timeout?: number;
}

/**
 * Waits (without blocking the event loop) until one of `receivers` is ready and takes one
 * message from it. Rejects with RecvTimeoutError if `timeout` ms pass first.
 *
 * @example
 * ```ts
 * for (;;) {
 *   const picked = await select([jobs, shutdown], { timeout: 1000 });
 *   if (picked.index === 1 || !picked.ok) break;
 *   handle(picked.value);
 * }
 * ```
 */
export async function select<const Receivers extends readonly Receiver<unknown>[]>(
  receivers: Receivers,
  options: SelectOptions = {},
): Promise<Selected<Receivers>> {
  const list = checkReceivers('select(receivers, options)', receivers);
  const deadline = deadlineOf('select(receivers, options)', options);
  for (;;) {
    const ready = pollAll(list);
    if (ready !== undefined) {
      // Browser: a PendingClaim's value is on its way (hub.ts); awaited here, as recv() does.
      if (ready.ok && ready.value instanceof PendingClaim) return { ...ready, value: await ready.value.promise } as Selected<Receivers>;
      return ready as Selected<Receivers>;
    }
    const left = deadline - performance.now();
    if (left <= 0) throw timedOut();
    // Every receiver announces a sleep (or hands back its still-pending one); the first to move wins.
    const waits = list.map((receiver) => receiver[selectPark]());
    if (left === Number.POSITIVE_INFINITY) {
      await Promise.race(waits);
    } else {
      let timer: ReturnType<typeof setTimeout> | undefined;
      // The timer also keeps the event loop alive until the timeout, as recvTimeout does. Clamped
      // (deadline.ts): beyond a timer's range it wakes once early and waits again for the rest.
      await Promise.race([...waits, new Promise<void>((resolve) => (timer = setTimeout(resolve, timerDelay(left))))]);
      clearTimeout(timer);
    }
  }
}

/** Polls before a blocking select sleeps: a message often follows within microseconds. */
const SPIN_ROUNDS = 32;
const FIRST_SLICE_MS = 0.05;
const LONGEST_SLICE_MS = 2;

/**
 * As {@link select}, blocking the thread (for workers; on the main thread it blocks the event
 * loop). Throws RecvTimeoutError if `timeout` ms pass first. Sleeps on one channel at a time in
 * short slices (see select-wait.ts): a message on another channel is seen within 2 ms.
 */
export function selectSync<const Receivers extends readonly Receiver<unknown>[]>(receivers: Receivers, options: SelectOptions = {}): Selected<Receivers> {
  checkMayBlock('selectSync()', 'await select()');
  const list = checkReceivers('selectSync(receivers, options)', receivers);
  const deadline = deadlineOf('selectSync(receivers, options)', options);
  let slice = FIRST_SLICE_MS;
  for (let round = 0; ; round++) {
    const ready = pollAll(list);
    if (ready !== undefined) {
      if (ready.ok) onHand(ready.value);
      return ready as Selected<Receivers>;
    }
    const left = deadline - performance.now();
    if (left <= 0) throw timedOut();
    if (round < SPIN_ROUNDS) continue;
    // One receiver: sleep on it for all the time there is. Several: take turns.
    const receiver = list[round % list.length]!;
    receiver[selectSleep](list.length === 1 ? left : Math.min(slice, left));
    slice = Math.min(slice * 2, LONGEST_SLICE_MS);
  }
}

/** One pass over every receiver from a random start: the first ready one's outcome. */
function pollAll(list: ReadonlyArray<Receiver<unknown>>): SelectedAt<number, unknown> | undefined {
  const count = list.length;
  const start = count === 1 ? 0 : Math.floor(Math.random() * count);
  for (let step = 0; step < count; step++) {
    const index = start + step < count ? start + step : start + step - count;
    const result = list[index]![selectPoll]();
    if (result === NOTHING) continue;
    if (result === ENDED) return { index, ok: false };
    return { index, ok: true, value: result };
  }
  return undefined;
}

function checkReceivers(call: string, receivers: unknown): ReadonlyArray<Receiver<unknown>> {
  if (!Array.isArray(receivers) || receivers.length === 0) {
    throw invalidArgument(call, 'receivers', 'a non-empty array of Receivers', receivers);
  }
  receivers.forEach((receiver: unknown, index) => {
    if (!(receiver instanceof Receiver)) throw invalidArgument(call, `receivers[${index}]`, 'a Receiver', receiver);
  });
  return receivers as ReadonlyArray<Receiver<unknown>>;
}

function deadlineOf(call: string, options: SelectOptions): number {
  if (typeof options !== 'object' || options === null) throw invalidArgument(call, 'options', 'an object such as { timeout: 100 }', options);
  return options.timeout === undefined ? Number.POSITIVE_INFINITY : deadlineAfter(options.timeout, `${call} timeout`);
}

function timedOut(): RecvTimeoutError {
  return new RecvTimeoutError(false, 'select: timed out: no receiver was ready in time');
}
