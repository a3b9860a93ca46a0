/**
 * What Sender and SyncSender share: the handle protocol (describe / moved / drop), the sender
 * count, and the guard that turns a moved or closed sender into a clear error.
 */
import { SendError, UseAfterMoveError } from '../errors.js';
import { currentTask, ownHere, ownNew, threadSlot } from '../wire/context.js';
import { describe, drop, moved, type Handle, type HandleDescriptor } from '../wire/handle.js';
import type { sendHandle } from '../marker/brands.js';
import { keepRingForDrop, markEscaped, recycleIfDone, senderCloned, senderDropped, senderLeaves, type ChannelMemory } from './connection.js';
import { RECEIVER, RECORD_TICKET } from './layout.js';
import { prepare, type Outgoing } from './message.js';
import { RingWriter } from './ring-writer.js';
import { settleShare, watchShare, type Share } from './share.js';

export abstract class SenderHandle implements Handle {
  declare readonly [sendHandle]: true;
  readonly #memory: ChannelMemory;
  readonly #share: Share;
  #writer: RingWriter | undefined;
  #gone = '';

  /**
   * @internal Made by `channel()`, `syncChannel()`, `clone()` or a move; the caller has
   * already counted this sender for the current thread.
   */
  constructor(memory: ChannelMemory) {
    const slot = threadSlot();
    this.#memory = memory;
    this.#writer = new RingWriter(memory.control, memory.data, slot);
    // The clean-up holds the control block only, never the ring (connection.ts, DropRecord).
    const control = memory.control;
    this.#share = watchShare(this, () => senderDropped(control, slot));
    // Over memory that came from another thread: tracked now; made here: when first sent.
    if (memory.escaped === true) ownHere(this, this[describe]());
    else ownNew(this);
  }

  /** The handle kind revivers are registered under. */
  protected abstract get kind(): string;

  protected writer(): RingWriter {
    const writer = this.#writer;
    if (writer === undefined) throw new UseAfterMoveError(`this ${this.constructor.name} ${this.#gone}`);
    return writer;
  }

  /** The channel's memory, for `operationStarts`/`operationEnds` around a send. */
  protected get memory(): ChannelMemory {
    return this.#memory;
  }

  /**
   * Encodes `value` for a send that has counted itself in flight (connection.ts: the memory is
   * not recycled before it ends, whatever a getter of `value` does). A getter may also have
   * closed this sender, or the receiver: then the send is refused with the value left as it was
   * — SendError when the receiver is gone, UseAfterMoveError when only this sender is.
   */
  protected encode(value: unknown): Outgoing {
    const message = prepare(value);
    if (message.type === RECORD_TICKET) keepRingForDrop(this.#memory);
    // Nothing was stashed yet (that happens on admission): nothing to undo.
    this.refuseIfClosed(value);
    return message;
  }

  /** This sender was closed (or moved). */
  protected isClosed(): boolean {
    return this.#writer === undefined;
  }

  /** After user code or a wait: refuse the send if this sender or the receiver went meanwhile. */
  protected refuseIfClosed(value: unknown): void {
    if (this.#writer !== undefined && this.#memory.control[RECEIVER] !== 0) return;
    if (this.#memory.control[RECEIVER] === 0) throw new SendError(value);
    this.writer();
  }

  /** Counts a new sender on this thread and returns the memory for it. */
  protected cloneMemory(): ChannelMemory {
    const writer = this.writer();
    // Before the clone exists: from here this thread's sends take the producer lock again.
    writer.solo = false;
    senderCloned(this.#memory.control, writer.slot);
    return this.#memory;
  }

  [describe](): HandleDescriptor {
    this.writer();
    return { kind: this.kind, buffers: [this.#memory.control.buffer as SharedArrayBuffer, this.#memory.data], data: {} };
  }

  [moved](): void {
    const writer = this.#writer;
    if (writer === undefined) return;
    this.#writer = undefined;
    this.#gone = 'was moved to another thread: use the handle that received it there';
    // The revived sender holds this one's place in the count; only the slot changes.
    settleShare(this.#share);
    markEscaped(this.#memory);
    senderLeaves(this.#memory.control, writer.slot);
    currentTask()?.release(this);
  }

  [drop](): void {
    const writer = this.#writer;
    if (writer === undefined) return;
    this.#writer = undefined;
    this.#gone = 'was closed';
    settleShare(this.#share);
    senderDropped(this.#memory.control, writer.slot);
    recycleIfDone(this.#memory);
  }

  /** Drops this sender: once every sender is gone, the receiver sees the end of the stream. Idempotent. */
  close(): void {
    if (this.#writer !== undefined) currentTask()?.release(this);
    this[drop]();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
