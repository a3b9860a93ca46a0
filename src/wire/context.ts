/**
 * Where the current code runs: which thread slot, and which task (a spawned closure) if any.
 *
 * The thread runtime installs the real implementation in workers (see `setThreadContext`);
 * on the main thread the defaults below hold: slot 0, no task.
 *
 * Handle modules use this to:
 * - record the owner of a lock (`threadSlot()`), so a dead thread's locks can be found;
 * - tie handles to the task that received or created them (`currentTask()?.adopt(h)`), so
 *   they are dropped when the task finishes, as captures are at the end of a Rust thread;
 * - poison a lock whose guard is still held when the task throws (`onPanic`).
 */
import { drop, type Handle, type HandleDescriptor } from './handle.js';

export interface TaskScope {
  /** Drop `handle` when this task finishes, unless `release`d before (moved on, closed). */
  adopt(handle: Handle): void;
  /** The handle left this task (moved elsewhere or closed): do not drop it at the end. */
  release(handle: Handle): void;
  /**
   * Run `cleanup` if the task panics (throws out of its function) while it is registered.
   * Returns the unregister function (a guard calls it when it unlocks).
   */
  onPanic(cleanup: () => void): () => void;
  /**
   * Run `cleanup` when the task ends, whether it returned or panicked (after the `onPanic`
   * clean-ups): what a Rust thread's locals do when they are dropped at the end of its scope.
   * Returns the unregister function (a guard calls it when it is released earlier).
   */
  onEnd(cleanup: () => void): () => void;
}

export interface ThreadContext {
  /** 0 on the main thread; 1..MAX_THREAD_SLOTS-1 for worker threads. Unique among live threads. */
  readonly slot: number;
  currentTask(): TaskScope | undefined;
  /**
   * Tell the main thread that this thread holds state `descriptor` (once per state per
   * thread), so that `HandleKind.onThreadDeath` runs for it if this thread dies.
   */
  track(handle: Handle, descriptor: HandleDescriptor): void;
}

/**
 * Thread slots are small integers so they fit in lock words and per-thread tables: 1,023 worker
 * threads can be alive at once (the main thread is slot 0). What bounds it: per-slot tables in
 * every channel's, RwLock's and Semaphore's control block (4 bytes a slot each), and the RwLock
 * state word, whose writer field (bits 21..31) holds slot + 1 up to 2,047.
 */
export const MAX_THREAD_SLOTS = 1024;

const mainThread: ThreadContext = {
  slot: 0,
  currentTask: () => undefined,
  track: () => {},
};

let context: ThreadContext = mainThread;

/** Installed once by the worker bootstrap. */
export function setThreadContext(next: ThreadContext): void {
  context = next;
}

/**
 * The running task's number on this thread, 0 while none runs (the main thread, a worker
 * between tasks). Set by the worker bootstrap; a worker runs one task at a time. A lock reads
 * it on every acquisition to tell, with one comparison, whether it already told the running
 * task that it holds this lock (see mutex-guard.ts).
 */
export let taskEpoch = 0;

/** Installed by the worker bootstrap around each task. */
export function setTaskEpoch(epoch: number): void {
  taskEpoch = epoch;
}

export function threadSlot(): number {
  return context.slot;
}

export function currentTask(): TaskScope | undefined {
  return context.currentTask();
}

/**
 * The call a handle module makes when a handle object arrives in this thread (revived from a
 * descriptor), or is made over state that already came from another thread: the main thread
 * learns of the state (for cleanup if this thread dies) and the running task, if any, owns the
 * object (dropped when the task ends unless released first). A handle made here over new state
 * calls {@link ownNew} instead. Objects made outside any task (top level of the main
 * thread or of a worker module) are dropped only by close/dispose or garbage collection.
 *
 * Only a handle with something to do when dropped (`[drop]`: a channel's ends) is adopted. A
 * lock or an Arc has nothing to do at the task's end (a guard still held is released through
 * task-guards and mutex-guard's own clean-ups), and adopting it would keep it alive to the end
 * of the task: a task making locks in a loop would hold every one of them, and their growable
 * buffers, each a memory mapping (src/wire/collection.ts).
 */
export function ownHere(handle: Handle, descriptor: HandleDescriptor): void {
  context.track(handle, descriptor);
  ownNew(handle);
}

/**
 * A handle made in this thread over new state (`new Mutex()`, `channel()`): owned by the
 * running task like any other, but the main thread learns of the state only when a handle of it
 * is first sent ({@link trackSent}). Until then no other thread can reach it, so nobody needs
 * cleaning up after if this thread dies; and a task that makes locks or channels in a loop does
 * not post one message per state to the main thread, whose record of each would keep its
 * buffers — memory mappings — alive until this thread's collection reports it gone
 * (src/wire/collection.ts).
 *
 * Invariant: every handle that leaves a thread is encoded by the codec, which calls trackSent
 * before the encoded message can be posted or published; Node delivers a worker's messages
 * ahead of its exit event, so the main thread has the record before it cleans up after a death.
 */
export function ownNew(handle: Handle): void {
  if (handle[drop] !== undefined) context.currentTask()?.adopt(handle);
}

/** A handle of this thread is being sent (the codec encodes it): see {@link ownNew}. Once per state. */
export function trackSent(handle: Handle, descriptor: HandleDescriptor): void {
  context.track(handle, descriptor);
}
