/**
 * Who is connected to a channel: how many senders exist (in every thread, in flight too) and
 * whether the receiver does, plus what each thread slot holds so that the main thread can
 * release exactly a dead thread's share (`HandleKind.onThreadDeath`).
 *
 * Counting rules, as in Rust: `clone` adds a sender (or a receiver); close/dispose/drop (end of
 * the task that owns it, thread death, garbage collection) removes one; a move changes only which
 * slot holds it. Senders get SendError once the last receiver is gone, as with crossbeam's
 * cloned receivers.
 */
import {
  BOUND,
  CONSUMED,
  CONSUMED_AT_DROP,
  COUNT_MASK,
  DISCONNECTED,
  INITIAL_DATA_BYTES,
  MAX_DATA_BYTES,
  SENT,
  CONTROL_WORDS,
  RECEIVER,
  SENDERS,
  SLOT_RECEIVERS,
  SLOT_SENDERS,
} from './layout.js';
import { growableSharedArrayBuffer, type GrowableSharedArrayBuffer } from './es2024.js';
import { releaseLocksOf } from './ring-lock.js';
import { assertIsolated } from '#platform';

/**
 * What a receiver's last-resort drop (share.ts) holds of its channel: the control block always,
 * the ring (`data`) only once the ring may hold messages parked in the hub, whose handles and
 * buffers the drop must give back (discardQueued): once a handle of the channel left or arrived
 * from another thread (`markEscaped`), or this thread queued a parked message
 * (`keepRingForDrop`). Otherwise a collected receiver's clean-up needs only the counts, and
 * holding the ring would keep it — a growable buffer, a memory mapping — alive until the
 * clean-up runs, which is never within a synchronous stretch of code (src/wire/collection.ts).
 */
export interface DropRecord {
  readonly control: Int32Array;
  data: GrowableSharedArrayBuffer | undefined;
}

/** The two buffers of one channel (see layout.ts). */
export interface ChannelMemory {
  readonly control: Int32Array;
  readonly data: GrowableSharedArrayBuffer;
  /** What this thread's receivers' last-resort drops hold (see DropRecord). */
  readonly dropRecord: DropRecord;
  /**
   * Set once a handle of this channel left the thread that made it (moved, sent in a message)
   * or arrived from another: then other threads may still hold views of its buffers, and only
   * the garbage collector can give them back.
   */
  escaped?: boolean;
  /** Given back to the pool below: nothing may touch it through this object any more. */
  recycled?: boolean;
  /**
   * Operations of this thread under way on the channel: a send encoding its value (a getter
   * may run any code, a close included), a send or a receive waiting, a select's pending wait.
   * The memory is never recycled while this is above 0 (see "reuse" below).
   */
  inFlight: number;
  /** Both ends were gone while operations were under way: the last one to end recycles. */
  recycleDeferred?: boolean;
}

/**
 * Channels that never left their thread, closed on both ends, waiting to be reused. Each data
 * buffer is a growable SharedArrayBuffer, which reserves its maximum size as one memory mapping
 * until it is collected: a program making and closing channels faster than the collector runs
 * (a channel per request) used to run out of mappings (vm.max_map_count) and die of SIGSEGV
 * after ~45,000 channels. Reusing them keeps memory and mappings bounded however many are made.
 */
const spare: ChannelMemory[] = [];
const MAX_SPARE = 64;

/**
 * Both ends of `memory` are gone: if no other thread can hold it, reset it and keep it for the
 * next channel of this thread. Only rings still at their first size are kept (a grown one
 * holds memory worth returning).
 *
 * Reuse invariant (src/channel/README.md): memory goes back to the pool only when
 * 1. it never escaped this thread (so every handle and every operation on it is this thread's),
 * 2. every sender and every receiver is gone (SENDERS = RECEIVER = 0), and
 * 3. no operation of this thread is under way on it (`inFlight` = 0): no send is encoding or
 *    waiting, no receive or select wait is pending.
 * Then nothing can touch it again through the old channel: its handles are closed (they throw
 * before any access), and the operations that were waiting have ended. An operation that ends
 * with the count at 0 after both ends went recycles it (`operationEnds`). Every wait that is
 * pending when both ends go is woken by the closes (the last receiver's drop notifies SENT and
 * CONSUMED, the last sender's drop SENT), so a deferred recycle happens as soon as the woken
 * operations have run; if one never ends, the memory is simply left to the garbage collector.
 */
export function recycleIfDone(memory: ChannelMemory): void {
  const { control, data } = memory;
  if (memory.escaped === true || memory.recycled === true || spare.length >= MAX_SPARE) return;
  if (Atomics.load(control, SENDERS) !== 0 || Atomics.load(control, RECEIVER) !== 0) return;
  if (data.byteLength !== INITIAL_DATA_BYTES) return;
  if (memory.inFlight !== 0) {
    memory.recycleDeferred = true;
    return;
  }
  memory.recycled = true;
  spare.push({ control, data, inFlight: 0, dropRecord: { control, data: undefined } });
}

/** A handle of this channel left this thread, or came from another (ChannelMemory.escaped). */
export function markEscaped(memory: ChannelMemory): void {
  memory.escaped = true;
  memory.dropRecord.data = memory.data;
}

/** This thread is about to queue a message parked in the hub (see DropRecord). */
export function keepRingForDrop(memory: ChannelMemory): void {
  memory.dropRecord.data = memory.data;
}

/**
 * An operation that may run user code or wait starts on `memory` (see recycleIfDone). Returns
 * whether it was counted: memory that escaped this thread is never recycled, so operations on
 * it (every cross-thread channel's) skip the count and `operationEnds`.
 */
export function operationStarts(memory: ChannelMemory): boolean {
  if (memory.escaped === true) return false;
  memory.inFlight++;
  return true;
}

/** …and ends (settled, whichever way): the last one recycles a channel closed meanwhile. */
export function operationEnds(memory: ChannelMemory): void {
  if (--memory.inFlight === 0 && memory.recycleDeferred === true) {
    memory.recycleDeferred = false;
    recycleIfDone(memory);
  }
}

/** A fresh channel with one sender and the receiver, both held by thread `slot`. */
export function createChannelMemory(bound: number, slot: number): ChannelMemory {
  const reused = spare.pop();
  if (reused !== undefined) reused.control.fill(0);
  if (reused === undefined) assertIsolated();
  const control = reused?.control ?? new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
  const data = reused?.data ?? growableSharedArrayBuffer(INITIAL_DATA_BYTES, MAX_DATA_BYTES);
  control[BOUND] = bound;
  control[SENDERS] = 1;
  control[SLOT_SENDERS + slot] = 1;
  // The receiver's constructor counts it for its thread slot (receiverEnters).
  control[RECEIVER] = 1;
  return { control, data, inFlight: 0, dropRecord: { control, data: undefined } };
}

export function senderEnters(control: Int32Array, slot: number): void {
  Atomics.add(control, SLOT_SENDERS + slot, 1);
}

/** A sender left thread `slot` by a move: the count is unchanged, the revived object holds it. */
export function senderLeaves(control: Int32Array, slot: number): void {
  Atomics.sub(control, SLOT_SENDERS + slot, 1);
}

export function senderCloned(control: Int32Array, slot: number): void {
  Atomics.add(control, SENDERS, 1);
  senderEnters(control, slot);
}

export function senderDropped(control: Int32Array, slot: number): void {
  senderLeaves(control, slot);
  releaseSenders(control, 1);
}

function releaseSenders(control: Int32Array, count: number): void {
  if (Atomics.sub(control, SENDERS, count) !== count) return;
  // SENT is otherwise written by producers under the lock (a load, then a store), but no
  // publish can be under way now: a thread inside `send` holds a sender, so the count could not
  // have reached 0 (a dead thread's half-done publish never stores). So no lock is needed —
  // which matters on the main thread after a death, when the lock may be held by another dead
  // thread whose release has not run yet.
  Atomics.or(control, SENT, DISCONNECTED);
  // Wakes the consumer sleeping on SENT (waiting.ts): the stream has ended.
  Atomics.notify(control, SENT);
}

export function receiverEnters(control: Int32Array, slot: number): void {
  Atomics.add(control, SLOT_RECEIVERS + slot, 1);
}

/** A receiver left thread `slot` by a move: the count is unchanged, the revived object holds it. */
export function receiverLeaves(control: Int32Array, slot: number): void {
  Atomics.sub(control, SLOT_RECEIVERS + slot, 1);
}

/** `receiver.clone()`: one more receiver (the new object counts itself for its slot). */
export function receiverCloned(control: Int32Array): void {
  Atomics.add(control, RECEIVER, 1);
}

/** A receiver held by thread `slot` is gone. Returns true if it was the last one. */
export function receiverDropped(control: Int32Array, slot: number): boolean {
  receiverLeaves(control, slot);
  return releaseReceivers(control, 1);
}

function releaseReceivers(control: Int32Array, count: number): boolean {
  for (;;) {
    const live = Atomics.load(control, RECEIVER);
    if (live === 0) return false;
    if (live > count) {
      if (Atomics.compareExchange(control, RECEIVER, live, live - count) === live) return false;
      continue;
    }
    // The last one. Recorded before RECEIVER reaches 0, so a rendezvous sender that sees the
    // receiver gone also sees how many messages had been taken (no other receiver is left to
    // take more).
    const consumed = Atomics.load(control, CONSUMED);
    Atomics.store(control, CONSUMED_AT_DROP, consumed);
    if (Atomics.compareExchange(control, RECEIVER, live, 0) !== live) continue;
    Atomics.store(control, CONSUMED, (consumed + 1) & COUNT_MASK);
    // Wakes every producer sleeping on CONSUMED (full queue, rendezvous): sends now fail.
    Atomics.notify(control, CONSUMED);
    // Wakes a recv() of this very receiver still sleeping on SENT (it was closed under it).
    Atomics.notify(control, SENT);
    return true;
  }
}

/** Main thread, after worker `slot` died: release the senders it held and its locks. */
export function sendersDiedWith(control: Int32Array, slot: number): void {
  const held = Atomics.exchange(control, SLOT_SENDERS + slot, 0);
  releaseLocksOf(control, slot);
  if (held > 0) releaseSenders(control, held);
}

/**
 * Main thread, after worker `slot` died: drop the receivers that thread held. If one of them was
 * the last receiver, `discardQueue` drops the queued messages too (receiver.ts discardQueued).
 */
export function receiverDiedWith(control: Int32Array, slot: number, discardQueue: () => void): void {
  releaseLocksOf(control, slot);
  const held = Atomics.exchange(control, SLOT_RECEIVERS + slot, 0);
  if (held > 0 && releaseReceivers(control, held)) discardQueue();
}
