/**
 * Channels: Rust's `std::sync::mpsc` for worker threads.
 *
 * How a message travels (files in the order it meets them):
 * - sender.ts / sync-sender.ts: the public senders; message.ts picks a record for the value:
 *   a number is an 8-byte INT32 record (an int32, not -0) or a 16-byte NUMBER record; any other value is encoded by the value codec
 *   (src/codec/) into bytes for a BYTES record; a value that shares SharedArrayBuffers or moves
 *   ArrayBuffers or handles is parked in the hub as an envelope (hub-bridge.ts) and only its
 *   ticket goes in the ring, so order is kept.
 * - ring-writer.ts copies the record into the shared ring (layout.ts) under the producers'
 *   lock (ring-lock.ts, an owned futex lock: sync/owned-lock.ts), growing the growable
 *   SharedArrayBuffer when it is full — an unbounded channel never drops or blocks — and
 *   publishes it by bumping SENT.
 * - ring-reader.ts / receiver.ts: the one consumer reads SENT once per batch, decodes records in
 *   place (the codec's decoder, straight from the ring) and publishes its position lazily.
 * - waiting.ts: who sleeps where and who wakes them (Atomics.wait in blocking forms,
 *   Atomics.waitAsync in async forms, so the main thread's event loop never blocks).
 * - consumer-claim.ts: several receivers (`clone()`) share the ring under a claim;
 *   select.ts / select-wait.ts: one receive from whichever of several receivers is ready.
 * - connection.ts: sender count, receiver count, per-thread shares for thread death;
 *   share.ts: the garbage-collection fallback; channel.ts: the factories and handle kinds.
 */
export { channel, syncChannel } from './channel.js';
export { Sender } from './sender.js';
export { SyncSender } from './sync-sender.js';
export { Receiver } from './receiver.js';
export type { TryRecvResult } from './receiver.js';
export { select, selectSync } from './select.js';
export type { Selected, SelectedAt, SelectOptions } from './select.js';
