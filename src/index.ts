// The public surface of `fearless`: named re-exports only, no logic.

// Marker types (compile time) and their run-time brand keys.
export { notSend, notSync, assertSend, assertNotSend, assertSync } from './marker/index.js';
export type {
  Send,
  IsSend,
  Lockable,
  NotSendReason,
  Unsendable,
  Sync,
  IsSync,
  NotSyncReason,
  Unshareable,
  NotSend,
  NotSync,
  Owned,
} from './marker/index.js';

// Errors.
export {
  FearlessError,
  SendError,
  RecvError,
  RecvTimeoutError,
  PoisonError,
  ThreadPanic,
  NotCloneableError,
  UseAfterMoveError,
  PoolClosedError,
  InvalidArgumentError,
  WouldDeadlockError,
  ThreadAbortedError,
  CapacityError,
  CaptureError,
  PlatformError,
} from './errors.js';
export type { FearlessErrorCode, PanicCause, PlatformErrorCode } from './errors.js';

// --- threads (src/thread) ---
export { spawn, spawnExport } from './thread/spawn.js';
export type { ExportArguments, ExportName, ExportResult } from './thread/spawn-export.js';
export { move, Moved } from './thread/move.js';
export { JoinHandle } from './thread/join-handle.js';
export { ThreadPool } from './thread/pool.js';
export { scope } from './thread/scope.js';
export type { Scope } from './thread/scope.js';
export type { ThreadPoolOptions } from './thread/pool.js';

// --- channels (src/channel) ---
export { channel, syncChannel, Sender, SyncSender, Receiver, select, selectSync } from './channel/index.js';
export type { TryRecvResult, Selected, SelectedAt, SelectOptions } from './channel/index.js';

// --- shared state (src/sync) ---
export { Mutex } from './sync/mutex/mutex.js';
export { MutexGuard } from './sync/mutex/mutex-guard.js';
export { RwLock } from './sync/rwlock/rwlock.js';
export { RwLockReadGuard, RwLockWriteGuard } from './sync/rwlock/rwlock-guards.js';
export { Arc } from './sync/arc/arc.js';
export { AtomicI32, AtomicU32, AtomicI64, AtomicBool } from './sync/atomic/atomics.js';
export { Condvar } from './sync/condvar/condvar.js';
export type { WaitTimeoutResult } from './sync/condvar/condvar.js';
export { Barrier } from './sync/barrier/barrier.js';
export type { BarrierWaitResult } from './sync/barrier/barrier.js';
export { Semaphore, SemaphorePermit } from './sync/semaphore/semaphore.js';
