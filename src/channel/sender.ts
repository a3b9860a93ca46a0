/**
 * `Sender<Message>`: the sending half of an unbounded channel (Rust's `mpsc::Sender`).
 * `send` never waits: the queue grows as needed.
 */
import { SendError } from '../errors.js';
import { operationEnds, operationStarts, senderEnters, type ChannelMemory } from './connection.js';
import { publish, settle } from './message.js';
import { PUBLISHED } from './ring-writer.js';
import type { handleMembers } from '../marker/brands.js';
import { SenderHandle } from './sender-handle.js';
import { threadSlot } from '../wire/context.js';

export const SENDER_KIND = 'fearless.sender';

export class Sender<Message> extends SenderHandle {
  declare readonly [handleMembers]: keyof Sender<Message>;
  protected get kind(): string {
    return SENDER_KIND;
  }

  /**
   * Moves `value` into the channel. Throws `SendError` (with the value in `.value`) when the
   * receiver is gone, `NotCloneableError` naming the path when a part of `value` cannot cross
   * (the channel stays usable), and `UseAfterMoveError` when this sender was moved or closed.
   */
  send(value: Message): void {
    const writer = this.writer();
    // Before anything is parked or moved, so the value comes back intact in the SendError.
    if (writer.receiverGone()) throw new SendError(value);
    let status;
    if (typeof value === 'number') {
      status = writer.publishNumber(value);
    } else {
      // Counted in flight while encoding: a getter may close both ends and make a new channel,
      // which must not get this memory under us (connection.ts recycleIfDone).
      const memory = this.memory;
      const counted = operationStarts(memory);
      try {
        const message = this.encode(value);
        status = publish(writer, message);
        settle(message, status);
      } finally {
        if (counted) operationEnds(memory);
      }
    }
    if (status !== PUBLISHED) throw new SendError(value);
  }

  /** Another sender on the same channel; the receiver's stream ends only when both are gone. */
  clone(): Sender<Message> {
    return new Sender<Message>(this.cloneMemory());
  }

  /** @internal A sender arriving in this thread by a move. */
  static revive<Message>(memory: ChannelMemory): Sender<Message> {
    senderEnters(memory.control, threadSlot());
    return new Sender<Message>(memory);
  }
}
