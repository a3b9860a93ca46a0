/**
 * `channel()` and `syncChannel(bound)`: multi-producer, single-consumer channels over shared
 * memory (Rust's `std::sync::mpsc`), usable from every thread. Also registers the three handle
 * kinds so that senders and receivers can be moved between threads.
 */
import { InvalidArgumentError } from '../errors.js';
import type { Send } from '../marker/send.js';
import { threadSlot } from '../wire/context.js';
import { registerHandleClass, registerHandleKind, type HandleDescriptor } from '../wire/handle.js';
import { growableOrUndefined } from './es2024.js';
import { createChannelMemory, receiverDiedWith, sendersDiedWith, type ChannelMemory } from './connection.js';
import { RECEIVER_KIND, Receiver, discardQueued } from './receiver.js';
import { RingReader } from './ring-reader.js';
import { SENDER_KIND, Sender } from './sender.js';
import { SYNC_SENDER_KIND, SyncSender, checkBound } from './sync-sender.js';

/**
 * An unbounded channel: `send` never waits, the queue grows as needed.
 *
 * @example
 * ```ts
 * const [tx, rx] = channel<number>();
 * spawn(move(tx), (tx) => { for (let i = 0; i < 3; i++) tx.send(i); });
 * for await (const n of rx) console.log(n); // 0 1 2, then the loop ends when tx is dropped
 * ```
 */
export function channel<Message extends Send<Message>>(): [Sender<Message>, Receiver<Message>] {
  const memory = createChannelMemory(-1, threadSlot());
  return [new Sender<Message>(memory), new Receiver<Message>(memory)];
}

/**
 * A bounded channel holding at most `bound` messages: senders wait for room. `bound` 0 makes a
 * rendezvous channel, where each send completes only when the receiver takes the message.
 */
export function syncChannel<Message extends Send<Message>>(bound: number): [SyncSender<Message>, Receiver<Message>] {
  const memory = createChannelMemory(checkBound(bound), threadSlot());
  return [new SyncSender<Message>(memory), new Receiver<Message>(memory)];
}

function memoryOf(descriptor: HandleDescriptor): ChannelMemory {
  const [control, buffer] = descriptor.buffers;
  const data = buffer === undefined ? undefined : growableOrUndefined(buffer);
  if (control === undefined || data === undefined) {
    throw new InvalidArgumentError(`a '${descriptor.kind}' descriptor needs its control and growable data buffers`);
  }
  // Revived in another thread than the one that made it: never reused (see ChannelMemory.escaped).
  const words = new Int32Array(control);
  return { control: words, data, escaped: true, inFlight: 0, dropRecord: { control: words, data } };
}

/**
 * The thread runtime reports a channel's state once per thread, under whichever kind of handle
 * the thread saw first; a thread may have held senders and the receiver of one channel, so each
 * kind releases both (each release is exact for the slot and idempotent).
 */
function onThreadDeath(descriptor: HandleDescriptor, slot: number): void {
  const memory = memoryOf(descriptor);
  sendersDiedWith(memory.control, slot);
  receiverDiedWith(memory.control, slot, () => discardQueued(memory, new RingReader(memory.control, memory.data, 0), true));
}

registerHandleKind(SENDER_KIND, { revive: (descriptor) => Sender.revive(memoryOf(descriptor)), onThreadDeath });
registerHandleKind(SYNC_SENDER_KIND, { revive: (descriptor) => SyncSender.revive(memoryOf(descriptor)), onThreadDeath });
registerHandleKind(RECEIVER_KIND, { revive: (descriptor) => Receiver.revive(memoryOf(descriptor)), onThreadDeath });
// Their `[describe]` is SenderHandle's: registered, so that their own methods are not read as a
// user subclass's (wire/handle.ts, addedToHandle).
registerHandleClass(Sender);
registerHandleClass(SyncSender);
