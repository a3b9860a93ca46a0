/**
 * `Receiver<Message>`: the receiving half of a channel (Rust's `mpsc::Receiver`). It can be moved
 * to another thread, not shared; `clone()` makes another receiver of the same channel
 * (crossbeam's multi-consumer channel): each message goes to exactly one of them.
 */
import { mayBlock } from '#platform';
import { RecvError, RecvTimeoutError, UseAfterMoveError, invalidArgument, checkMayBlock } from '../errors.js';
import { currentTask, ownHere, ownNew, threadSlot } from '../wire/context.js';
import { describe, drop, moved, type Handle, type HandleDescriptor } from '../wire/handle.js';
import type { sendHandle, handleMembers } from '../marker/brands.js';
import { markEscaped, operationEnds, operationStarts, receiverCloned, receiverDropped, receiverEnters, receiverLeaves, recycleIfDone, type ChannelMemory, type DropRecord } from './connection.js';
import { claim, consumersShared, shareConsumers, sharedSleep, sharedSleepSync, unclaim } from './consumer-claim.js';
import { discard, onHand, PendingClaim, settled } from './hub-bridge.js';
import { CONSUMED_AT_DROP, RECORD_TICKET, SENT } from './layout.js';
import { take } from './message.js';
import { CLOSED, EMPTY, RingReader } from './ring-reader.js';
import { settleShare, watchShare, type Share } from './share.js';
import { consumerSleep, consumerSleepSync } from './waiting.js';
import { parkOn, sleepSlice, type ParkedWait } from './select-wait.js';

/** Whether this thread may block (see recvSync). */
const MAY_BLOCK = mayBlock;

export const RECEIVER_KIND = 'fearless.receiver';

export type TryRecvResult<Message> = { ok: true; value: Message } | { ok: false; disconnected: boolean };

/** What `poll` (and `#look`) return when there is no message (yet / ever). */
export const NOTHING: unique symbol = Symbol('nothing');
export const ENDED: unique symbol = Symbol('ended');
/** What `#look` returns when the receive should sleep and look again. */
const SLEEP: unique symbol = Symbol('sleep');

/** Module-internal operations for select.ts, kept off the public surface. */
export const selectPoll: unique symbol = Symbol('fearless.selectPoll');
export const selectPark: unique symbol = Symbol('fearless.selectPark');
export const selectSleep: unique symbol = Symbol('fearless.selectSleep');

export class Receiver<Message> implements Handle {
  declare readonly [handleMembers]: keyof Receiver<Message>;
  declare readonly [sendHandle]: true;
  readonly #memory: ChannelMemory;
  readonly #share: Share;
  #reader: RingReader | undefined;
  #gone = '';
  /** The last receive waiting its turn (see #inLine), until it settles. */
  #line: Promise<void> | undefined;
  /** The pending wait of the last select that slept on this receiver (select-wait.ts). */
  #parked: ParkedWait | undefined;
  /** How long the receive `#look` just answered SLEEP to sleeps (undefined: untimed). */
  #sleepMs: number | undefined;

  /** @internal Made by `channel()`/`syncChannel()` or a move. */
  constructor(memory: ChannelMemory) {
    const slot = threadSlot();
    this.#memory = memory;
    this.#reader = new RingReader(memory.control, memory.data, slot);
    receiverEnters(memory.control, slot);
    // Collected without a close: if it was the last receiver, its queued messages go with it.
    const record = memory.dropRecord;
    this.#share = watchShare(this, () => dropCollectedReceiver(record, slot));
    // Over memory that came from another thread: tracked now; made here: when first sent.
    if (memory.escaped === true) ownHere(this, this[describe]());
    else ownNew(this);
  }

  /** Waits for the next message; rejects with `RecvError` once every sender is gone and the queue is empty. */
  async recv(): Promise<Message> {
    // Nobody is waiting: what is there now is this call's, without taking a turn.
    const now = this.#line === undefined ? this.#recvDeadlineSync(NOW) : NOTHING;
    // A PendingClaim (browser: the parked part is on its way) is awaited as a turn, so receives
    // called after this one wait behind it and keep their order.
    const result = now === NOTHING ? await this.#inLine(() => this.#recvDeadline()) : now instanceof PendingClaim ? await this.#inLine(() => now.promise) : now;
    if (result === ENDED) throw new RecvError();
    return result as Message;
  }

  /**
   * One look of the receive every other is built on (crossbeam's `recv_deadline`): the next
   * message, ENDED once every sender is gone and the queue is drained, NOTHING once `deadline` (a
   * `performance.now()` time) has passed, or SLEEP: sleep `#sleepMs` (undefined: untimed) and
   * look again. NOW never says SLEEP; no deadline sleeps untimed, holding nothing (README
   * invariant 7). The two loops below differ only in how they sleep: `#recvDeadlineSync` blocks
   * the thread, `#recvDeadline` awaits a waitAsync — an async receive never blocks, on the main
   * thread least of all.
   */
  #look(deadline: number | undefined): unknown {
    const result = poll(this.#live());
    if (result !== NOTHING) return result;
    const left = msUntil(deadline);
    if (left !== undefined && left <= 0) return NOTHING;
    // Read right after this returns, before any await: concurrent receives cannot mix theirs up.
    this.#sleepMs = left;
    return SLEEP;
  }

  #recvDeadlineSync(deadline?: number): unknown {
    for (let result = this.#look(deadline); ; result = this.#look(deadline)) {
      if (result !== SLEEP) return result;
      sleepSync(this.#live(), this.#sleepMs);
    }
  }

  /** As `#recvDeadlineSync`, without blocking: callers take their turn first (`#inLine`). */
  async #recvDeadline(deadline?: number): Promise<unknown> {
    for (let result = this.#look(deadline); ; result = this.#look(deadline)) {
      if (result !== SLEEP) return settled(result);
      await this.#sleep(this.#live(), this.#sleepMs);
    }
  }

  /**
   * Sleeps as an operation in flight (connection.ts): the memory is not recycled before the
   * sleep has ended, its own clean-up writes (the wake-up word) included. After it, the caller
   * goes through `#live()` again, which throws for a receiver closed meanwhile before any
   * access — and the memory can only be recycled once every receiver is closed.
   */
  #sleep(reader: RingReader, timeoutMs?: number): Promise<void> {
    const memory = this.#memory;
    // Never recycled once escaped: no count, no extra promise (operationStarts).
    if (!operationStarts(memory)) return sleep(reader, timeoutMs);
    return sleep(reader, timeoutMs).finally(() => operationEnds(memory));
  }

  /**
   * Receives that have to wait take turns in call order, so concurrent `recv()`s get the
   * messages in the order they were called, as from any queue. Without it, each woke on its
   * own `waitAsync` and whichever resumed first took the next message.
   */
  #inLine<Result>(receive: () => Promise<Result>): Promise<Result> {
    const ahead = this.#line;
    const mine = ahead === undefined ? receive() : ahead.then(receive, receive);
    const settled = mine.then(ignore, ignore);
    this.#line = settled;
    void settled.then(() => {
      if (this.#line === settled) this.#line = undefined;
    });
    return mine;
  }

  /**
   * As `recv`, blocking the thread (workers; on the main thread this blocks the event loop, as
   * a blocking receive does in Rust). Throws `RecvError` at the end of the stream.
   */
  recvSync(): Message {
    // A module constant V8 folds (as Mutex.lockSync's): checkMayBlock is called only where it throws.
    if (!MAY_BLOCK) checkMayBlock('recvSync()', 'await recv()');
    // A single consumer with a message there: taken at once, without the receive loop (a
    // stream's common case). Anything else (shared consumers, an empty queue, the end of the
    // stream) goes through the receive-with-deadline, which looks again from the start.
    // Invariant: never once the receiver was cloned (a shared consumer must claim the record,
    // consumer-claim.ts); test/channel/multi-consumer.test.ts fails without that check.
    const reader = this.#reader;
    if (reader !== undefined && !consumersShared(reader.control)) {
      const type = reader.next();
      if (type > 0) return onHand(take(reader, type)) as Message;
    }
    const result = onHand(this.#recvDeadlineSync());
    if (result === ENDED) throw new RecvError();
    return result as Message;
  }

  /** The next message if one is there now; otherwise whether the stream has ended. */
  tryRecv(): TryRecvResult<Message> {
    // One poll, no loop: the receive-with-deadline at NOW, minus two calls on a hot path.
    const result = onHand(poll(this.#live()));
    if (result === NOTHING) return { ok: false, disconnected: false };
    if (result === ENDED) return { ok: false, disconnected: true };
    return { ok: true, value: result as Message };
  }

  /**
   * As `recv`, giving up after `ms` milliseconds: rejects with `RecvTimeoutError` whose
   * `.disconnected` says whether the stream ended (true) or time ran out (false).
   */
  async recvTimeout(ms: number): Promise<Message> {
    if (typeof ms !== 'number' || Number.isNaN(ms) || ms < 0) {
      throw invalidArgument('Receiver.recvTimeout(ms)', 'ms', 'a number of milliseconds ≥ 0 (Infinity waits without limit)', ms);
    }
    const deadline = performance.now() + ms;
    // Takes a turn only behind receives already waiting (a timed receive does not hold back later ones).
    const result = await (this.#line === undefined ? this.#recvDeadline(deadline) : this.#inLine(() => this.#recvDeadline(deadline)));
    if (result === NOTHING) throw new RecvTimeoutError(false);
    if (result === ENDED) throw new RecvTimeoutError(true);
    return result as Message;
  }

  /** `for await (const message of receiver)`: ends when every sender is gone and the queue is drained. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Message, void, undefined> {
    for (;;) {
      let message: Message;
      try {
        // Through recv(), so an iteration takes its turn with other receives on this receiver.
        message = await this.recv();
      } catch (error) {
        if (error instanceof RecvError) return;
        throw error;
      }
      yield message;
    }
  }

  /** Blocking iteration (workers): ends when every sender is gone and the queue is drained. */
  *iterSync(): Generator<Message, void, undefined> {
    checkMayBlock('iterSync()', 'for await (const message of receiver)');
    for (let result = this.#recvDeadlineSync(); result !== ENDED; result = this.#recvDeadlineSync()) yield onHand(result) as Message;
  }

  /** The messages that are in the queue now, without waiting. */
  *tryIter(): Generator<Message, void, undefined> {
    for (;;) {
      // recvSync's fast path, with its invariant (a single consumer: never once cloned): a
      // drain of a queue that holds messages takes each at once, 49 -> 33 ns a number.
      const reader = this.#reader;
      if (reader !== undefined && !consumersShared(reader.control)) {
        const type = reader.next();
        if (type > 0) {
          yield onHand(take(reader, type)) as Message;
          continue;
        }
      }
      const result = this.#recvDeadlineSync(NOW);
      if (result === NOTHING || result === ENDED) return;
      yield onHand(result) as Message;
    }
  }

  /**
   * Another receiver of the same channel (crossbeam's `Receiver::clone`): each message goes to
   * exactly one of the receivers, whichever asks first; senders get `SendError` only once every
   * receiver is gone, and every receiver sees the end of the stream once every sender is gone.
   * Move clones to other threads to share the work. A channel once cloned stays in shared mode:
   * each receive takes a short lock, where a never-cloned receiver reads with none.
   */
  clone(): Receiver<Message> {
    const reader = this.#live();
    const control = this.#memory.control;
    if (!consumersShared(control)) {
      // Everything this receiver consumed must be visible to the clone, which starts from the
      // published position.
      reader.publishPosition();
      shareConsumers(control);
    }
    receiverCloned(control);
    return new Receiver<Message>(this.#memory);
  }

  /** @internal select.ts: one receive attempt: the message, NOTHING or ENDED. */
  [selectPoll](): unknown {
    return poll(this.#live());
  }

  /** @internal select.ts: resolves once the queue may have moved on since the last poll found it empty. */
  [selectPark](): Promise<void> {
    const reader = this.#live();
    const parked = parkOn(this.#memory, reader.consumed, this.#parked);
    this.#parked = parked;
    return parked.promise;
  }

  /** @internal selectSync: blocks for at most `ms` unless the queue moves on since the last poll. */
  [selectSleep](ms: number): void {
    const reader = this.#live();
    sleepSlice(reader.control, reader.consumed, ms);
  }

  /** Drops the receiver: senders get `SendError` once every receiver is gone. Idempotent. */
  close(): void {
    if (this.#reader !== undefined) currentTask()?.release(this);
    this[drop]();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  [describe](): HandleDescriptor {
    // The thread that revives it starts from the published position. (Shared receivers publish
    // after every receive; this one's fields may lag behind the others'.)
    const reader = this.#live();
    if (!consumersShared(this.#memory.control)) reader.publishPosition();
    return { kind: RECEIVER_KIND, buffers: [this.#memory.control.buffer as SharedArrayBuffer, this.#memory.data], data: {} };
  }

  [moved](): void {
    const reader = this.#reader;
    if (reader === undefined) return;
    this.#reader = undefined;
    this.#gone = 'was moved to another thread: use the handle that received it there';
    settleShare(this.#share);
    markEscaped(this.#memory);
    receiverLeaves(this.#memory.control, reader.slot);
    currentTask()?.release(this);
  }

  [drop](): void {
    const reader = this.#reader;
    if (reader === undefined) return;
    this.#reader = undefined;
    this.#gone = 'was closed';
    settleShare(this.#share);
    dropReceiver(this.#memory, reader.slot, reader);
    recycleIfDone(this.#memory);
  }

  #live(): RingReader {
    const reader = this.#reader;
    if (reader === undefined) throw new UseAfterMoveError(`this Receiver ${this.#gone}`);
    return reader;
  }

  /** @internal A receiver arriving in this thread by a move. */
  static revive<Message>(memory: ChannelMemory): Receiver<Message> {
    return new Receiver<Message>(memory);
  }
}

/**
 * A receiver of thread `slot` is gone (closed, or collected without a close). If others remain
 * they take the queue; if it was the last, the queued messages are dropped (see discardQueued).
 * `reader` is the receiver's own when it has one: its position is ahead of the published one.
 */
/**
 * A receiver collected without a close. Its clean-up holds only the DropRecord: the ring is there
 * only if it may hold parked messages; otherwise only the counts need the news.
 */
function dropCollectedReceiver(record: DropRecord, slot: number): void {
  const data = record.data;
  if (data !== undefined) {
    dropReceiver({ control: record.control, data, inFlight: 0, dropRecord: record }, slot);
    return;
  }
  // Never escaped, never queued a parked message: nothing in the ring holds anything.
  if (!receiverDropped(record.control, slot)) Atomics.notify(record.control, SENT);
}

export function dropReceiver(memory: ChannelMemory, slot: number, reader?: RingReader): void {
  if (!receiverDropped(memory.control, slot)) {
    // Other receivers remain and take the queue; wake a recv() of this one sleeping on SENT.
    Atomics.notify(memory.control, SENT);
    return;
  }
  discardQueued(memory, reader ?? new RingReader(memory.control, memory.data, slot), reader === undefined);
}

/**
 * After the last receiver went (closed, collected, or its thread died): the messages still queued
 * are dropped. Those parked in the hub hold resources — handles inside them count as senders of
 * other channels, buffers hold memory — so they are released, as Rust drops the queued messages
 * with the receiver. A `fresh` reader (made after the drop) starts from the published position.
 */
export function discardQueued(memory: ChannelMemory, reader: RingReader, fresh: boolean): void {
  const control = memory.control;
  const shared = consumersShared(control);
  if (shared) claim(control, reader.slot);
  try {
    if (shared || fresh) {
      reader.resync();
      // The drop moved CONSUMED on by one to wake producers; the count of messages taken is
      // what it recorded first (HEAD and CONSUMED are published together, so they agree).
      reader.consumed = Atomics.load(control, CONSUMED_AT_DROP);
    }
    for (let type = reader.next(); type > 0; type = reader.next()) {
      if (type === RECORD_TICKET) discard(reader.recordLength());
      reader.advance(type);
    }
  } finally {
    if (shared) unclaim(control);
  }
}

function poll(reader: RingReader): unknown {
  // A plain read, once per receive: 0 for good unless this channel was ever cloned.
  if (consumersShared(reader.control)) return pollShared(reader);
  const type = reader.next();
  if (type === EMPTY) return NOTHING;
  if (type === CLOSED) return ENDED;
  return take(reader, type);
}

/** One receive among several receivers: under the claim, from the shared position. */
function pollShared(reader: RingReader): unknown {
  const control = reader.control;
  claim(control, reader.slot);
  try {
    reader.resync();
    const type = reader.next();
    if (type === EMPTY) return NOTHING;
    if (type === CLOSED) return ENDED;
    try {
      return take(reader, type);
    } finally {
      // A bounded ring's reader publishes on every advance; an unbounded one's must too, here,
      // before another receiver starts from the shared position (a record that failed to
      // decode was advanced past too: it is not handed to the next receiver to fail again).
      if (!reader.bounded) reader.publishPosition();
    }
  } finally {
    unclaim(control);
  }
}

function ignore(): void {}

/** A deadline already passed: look once, never sleep. */
const NOW = Number.NEGATIVE_INFINITY;

/** Milliseconds left until `deadline`; undefined: no deadline. */
function msUntil(deadline: number | undefined): number | undefined {
  if (deadline === undefined) return undefined;
  return deadline === NOW ? 0 : deadline - performance.now();
}

/**
 * Sleeps until the queue may have moved on; `reader.consumed` is where the last poll found it
 * empty. `timeoutMs` undefined: untimed (an async sleep then holds nothing).
 */
function sleep(reader: RingReader, timeoutMs?: number): Promise<void> {
  return consumersShared(reader.control)
    ? sharedSleep(reader.control, reader.consumed, timeoutMs)
    : consumerSleep(reader.control, reader.consumed, timeoutMs);
}

function sleepSync(reader: RingReader, timeoutMs?: number): void {
  if (consumersShared(reader.control)) sharedSleepSync(reader.control, reader.consumed, timeoutMs);
  else consumerSleepSync(reader.control, reader.consumed, timeoutMs);
}
