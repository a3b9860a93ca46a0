/**
 * `Receiver<Message>`: the receiving half of a channel (Rust's `mpsc::Receiver`). One consumer:
 * it can be moved to another thread, not shared.
 */
import { RecvError, RecvTimeoutError, UseAfterMoveError, invalidArgument } from '../errors.js';
import { currentTask, ownHere, threadSlot } from '../wire/context.js';
import { describe, drop, moved, type Handle, type HandleDescriptor } from '../wire/handle.js';
import type { sendHandle } from '../marker/brands.js';
import { receiverDropped, receiverEnters, receiverLeaves, recycleIfDone, type ChannelMemory } from './connection.js';
import { discard } from './hub-bridge.js';
import { RECORD_TICKET } from './layout.js';
import { take } from './message.js';
import { CLOSED, EMPTY, RingReader } from './ring-reader.js';
import { settleShare, watchShare, type Share } from './share.js';
import { consumerSleep, consumerSleepSync } from './waiting.js';

export const RECEIVER_KIND = 'fearless.receiver';

export type TryRecvResult<Message> = { ok: true; value: Message } | { ok: false; disconnected: boolean };

/** What `#poll` returns when there is no message (yet / ever). */
const NOTHING: unique symbol = Symbol('nothing');
const ENDED: unique symbol = Symbol('ended');

export class Receiver<Message> implements Handle {
  declare readonly [sendHandle]: true;
  readonly #memory: ChannelMemory;
  readonly #share: Share;
  #reader: RingReader | undefined;
  #gone = '';

  /** @internal Made by `channel()`/`syncChannel()` or a move. */
  constructor(memory: ChannelMemory) {
    const slot = threadSlot();
    this.#memory = memory;
    this.#reader = new RingReader(memory.control, memory.data, slot);
    receiverEnters(memory.control, slot);
    // Collected without a close: its queued messages go with it (see dropReceiver).
    this.#share = watchShare(this, () => dropReceiver(memory, new RingReader(memory.control, memory.data, threadSlot())));
    ownHere(this, this[describe]());
  }

  /** Waits for the next message; rejects with `RecvError` once every sender is gone and the queue is empty. */
  async recv(): Promise<Message> {
    for (;;) {
      const reader = this.#live();
      const result = poll(reader);
      if (result === ENDED) throw new RecvError();
      if (result !== NOTHING) return result as Message;
      await consumerSleep(reader.control, reader.consumed);
    }
  }

  /**
   * As `recv`, blocking the thread (workers; on the main thread this blocks the event loop, as
   * a blocking receive does in Rust). Throws `RecvError` at the end of the stream.
   */
  recvSync(): Message {
    for (;;) {
      const reader = this.#live();
      const result = poll(reader);
      if (result === ENDED) throw new RecvError();
      if (result !== NOTHING) return result as Message;
      consumerSleepSync(reader.control, reader.consumed);
    }
  }

  /** The next message if one is there now; otherwise whether the stream has ended. */
  tryRecv(): TryRecvResult<Message> {
    const result = poll(this.#live());
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
    for (;;) {
      const reader = this.#live();
      const result = poll(reader);
      if (result === ENDED) throw new RecvTimeoutError(true);
      if (result !== NOTHING) return result as Message;
      const left = deadline - performance.now();
      if (left <= 0) throw new RecvTimeoutError(false);
      await consumerSleep(reader.control, reader.consumed, left);
    }
  }

  /** `for await (const message of receiver)`: ends when every sender is gone and the queue is drained. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Message, void, undefined> {
    for (;;) {
      const reader = this.#live();
      const result = poll(reader);
      if (result === ENDED) return;
      if (result === NOTHING) await consumerSleep(reader.control, reader.consumed);
      else yield result as Message;
    }
  }

  /** Blocking iteration (workers): ends when every sender is gone and the queue is drained. */
  *iterSync(): Generator<Message, void, undefined> {
    for (;;) {
      const reader = this.#live();
      const result = poll(reader);
      if (result === ENDED) return;
      if (result === NOTHING) consumerSleepSync(reader.control, reader.consumed);
      else yield result as Message;
    }
  }

  /** The messages that are in the queue now, without waiting. */
  *tryIter(): Generator<Message, void, undefined> {
    for (;;) {
      const result = poll(this.#live());
      if (result === NOTHING || result === ENDED) return;
      yield result as Message;
    }
  }

  /** Drops the receiver: senders get `SendError` from now on. Idempotent. */
  close(): void {
    if (this.#reader !== undefined) currentTask()?.release(this);
    this[drop]();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  [describe](): HandleDescriptor {
    // The thread that revives it starts from the published position.
    this.#live().publishPosition();
    return { kind: RECEIVER_KIND, buffers: [this.#memory.control.buffer as SharedArrayBuffer, this.#memory.data], data: {} };
  }

  [moved](): void {
    if (this.#reader === undefined) return;
    this.#reader = undefined;
    this.#gone = 'was moved to another thread: use the handle that received it there';
    settleShare(this.#share);
    this.#memory.escaped = true;
    receiverLeaves(this.#memory.control);
    currentTask()?.release(this);
  }

  [drop](): void {
    const reader = this.#reader;
    if (reader === undefined) return;
    this.#reader = undefined;
    this.#gone = 'was closed';
    settleShare(this.#share);
    dropReceiver(this.#memory, reader);
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
 * The receiver is gone (closed, collected, or its thread died): senders see it, and the messages
 * still queued are dropped. Those parked in the hub hold resources — handles inside them count
 * as senders of other channels, buffers hold memory — so they are released, as Rust drops the
 * queued messages with the receiver. `reader` must be made before the drop (which moves
 * CONSUMED on once more).
 */
export function dropReceiver(memory: ChannelMemory, reader: RingReader): void {
  receiverDropped(memory.control);
  for (let type = reader.next(); type > 0; type = reader.next()) {
    if (type === RECORD_TICKET) discard(reader.recordLength());
    reader.advance(type);
  }
}

function poll(reader: RingReader): unknown {
  const type = reader.next();
  if (type === EMPTY) return NOTHING;
  if (type === CLOSED) return ENDED;
  return take(reader, type);
}
