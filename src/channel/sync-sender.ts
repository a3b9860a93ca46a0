/**
 * `SyncSender<Message>`: the sending half of a bounded channel (Rust's `mpsc::SyncSender`).
 * At most `bound` messages wait in the queue; with bound 0 (a rendezvous) a send completes only
 * once the receiver has taken the message.
 */
import { SendError, invalidArgument, checkMayBlock } from '../errors.js';
import { threadSlot } from '../wire/context.js';
import { operationEnds, operationStarts, senderEnters, type ChannelMemory } from './connection.js';
import { BOUND, CONSUMED, CONSUMED_AT_DROP, CONSUMER_WAITING, COUNT_MASK, RECEIVER, SENT, countBetween, reached } from './layout.js';
import { keep, publish, settle, type Outgoing } from './message.js';
import { FULL, PUBLISHED, RECEIVER_GONE, type PublishResult, type RingWriter } from './ring-writer.js';
import type { handleMembers } from '../marker/brands.js';
import { SenderHandle } from './sender-handle.js';
import { producerSleep, producerSleepSync } from './waiting.js';

export const SYNC_SENDER_KIND = 'fearless.syncSender';

export class SyncSender<Message> extends SenderHandle {
  declare readonly [handleMembers]: keyof SyncSender<Message>;
  protected get kind(): string {
    return SYNC_SENDER_KIND;
  }

  /**
   * Moves `value` into the channel, waiting (without blocking the thread) while the queue is
   * full; with a rendezvous channel, resolves once the receiver has taken it. Rejects with
   * `SendError` (value in `.value`) when the receiver is gone.
   */
  async send(value: Message): Promise<void> {
    const writer = this.writer();
    if (writer.receiverGone()) throw new SendError(value);
    // In flight until it settles: the memory is not recycled under a wait (connection.ts).
    const memory = this.memory;
    const counted = operationStarts(memory);
    try {
      const message = this.encode(value);
      let status = publish(writer, message);
      if (status === FULL) {
        keep(message);
        while ((status = publish(writer, message)) === FULL) {
          await producerSleep(writer.control, () => hasRoom(writer));
          // Closed while it waited: refused, nothing of the value was moved.
          if (this.isClosed()) status = RECEIVER_GONE;
          if (status === RECEIVER_GONE) break;
        }
      }
      // A rendezvous message commits once taken where it can (main thread, see Parked.deferrable):
      // if the receiver goes first, the value comes back whole in the SendError.
      const deferred = status === PUBLISHED && isRendezvous(writer) && message.parked?.deferrable === true;
      if (!deferred) settle(message, status);
      if (status === RECEIVER_GONE) {
        this.refuseIfClosed(value);
        throw new SendError(value);
      }
      if (isRendezvous(writer)) {
        const sequence = writer.lastSequence;
        while (!isTaken(writer, sequence)) await producerSleep(writer.control, () => isTaken(writer, sequence));
        const taken = wasTaken(writer, sequence);
        if (deferred) settle(message, taken ? PUBLISHED : RECEIVER_GONE);
        if (!taken) throw new SendError(value);
      }
    } finally {
      if (counted) operationEnds(memory);
    }
  }

  /**
   * As `send`, blocking the thread while it waits (workers; on the main thread this blocks the
   * event loop, as a blocking send does in Rust).
   */
  sendSync(value: Message): void {
    checkMayBlock('sendSync()', 'await send()');
    const writer = this.writer();
    if (writer.receiverGone()) throw new SendError(value);
    const memory = this.memory;
    const counted = operationStarts(memory);
    try {
      const message = this.encode(value);
      const status = this.#publishBlocking(writer, message);
      // As in `send`: a rendezvous message commits once taken where it can.
      const deferred = status === PUBLISHED && isRendezvous(writer) && message.parked?.deferrable === true;
      if (!deferred) settle(message, status);
      if (status === RECEIVER_GONE) throw new SendError(value);
      if (isRendezvous(writer)) {
        const sequence = writer.lastSequence;
        while (!isTaken(writer, sequence)) producerSleepSync(writer.control, () => isTaken(writer, sequence));
        const taken = wasTaken(writer, sequence);
        if (deferred) settle(message, taken ? PUBLISHED : RECEIVER_GONE);
        if (!taken) throw new SendError(value);
      }
    } finally {
      if (counted) operationEnds(memory);
    }
  }

  /**
   * Sends only if there is room now: false when the queue is full (for a rendezvous channel:
   * unless the receiver is waiting right now). Throws `SendError` when the receiver is gone.
   */
  trySend(value: Message): boolean {
    const writer = this.writer();
    if (writer.receiverGone()) throw new SendError(value);
    if (isRendezvous(writer) && Atomics.load(writer.control, CONSUMER_WAITING) === 0) return false;
    const memory = this.memory;
    const counted = operationStarts(memory);
    try {
      const message = this.encode(value);
      const status: PublishResult = publish(writer, message);
      settle(message, status);
      if (status === RECEIVER_GONE) throw new SendError(value);
      return status === PUBLISHED;
    } finally {
      if (counted) operationEnds(memory);
    }
  }

  /** Another sender on the same channel. */
  clone(): SyncSender<Message> {
    return new SyncSender<Message>(this.cloneMemory());
  }

  #publishBlocking(writer: RingWriter, message: Outgoing): PublishResult {
    let status = publish(writer, message);
    if (status !== FULL) return status;
    keep(message);
    while ((status = publish(writer, message)) === FULL) producerSleepSync(writer.control, () => hasRoom(writer));
    return status;
  }

  /** @internal A sync sender arriving in this thread by a move. */
  static revive<Message>(memory: ChannelMemory): SyncSender<Message> {
    senderEnters(memory.control, threadSlot());
    return new SyncSender<Message>(memory);
  }
}

export function checkBound(bound: unknown): number {
  if (typeof bound !== 'number' || !Number.isInteger(bound) || bound < 0 || bound > COUNT_MASK) {
    throw invalidArgument('syncChannel(bound)', 'bound', `a whole number from 0 (rendezvous) to ${COUNT_MASK}`, bound);
  }
  return bound;
}

function isRendezvous(writer: RingWriter): boolean {
  return Atomics.load(writer.control, BOUND) === 0;
}

function hasRoom(writer: RingWriter): boolean {
  const control = writer.control;
  return countBetween(Atomics.load(control, CONSUMED), Atomics.load(control, SENT)) < writer.capacity || Atomics.load(control, RECEIVER) === 0;
}

/** The receiver took message `sequence`, or will never take it. */
function isTaken(writer: RingWriter, sequence: number): boolean {
  return reached(Atomics.load(writer.control, CONSUMED), sequence) || Atomics.load(writer.control, RECEIVER) === 0;
}

function wasTaken(writer: RingWriter, sequence: number): boolean {
  const control = writer.control;
  const consumed = Atomics.load(control, RECEIVER) === 0 ? Atomics.load(control, CONSUMED_AT_DROP) : Atomics.load(control, CONSUMED);
  return reached(consumed, sequence);
}
