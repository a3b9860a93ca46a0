// The public surface of `fearless`: named re-exports only, no logic.

// Marker types (compile time) and their run-time brand keys.
export { notSend, notSync, assertSend, assertNotSend, assertSync } from './marker/index.js';
export type {
  Send,
  IsSend,
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
} from './errors.js';
export type { FearlessErrorCode, PanicCause } from './errors.js';

// --- threads (src/thread) ---

// --- channels (src/channel) ---

// --- shared state (src/sync) ---
export { Mutex } from './sync/mutex/mutex.js';
export { MutexGuard } from './sync/mutex/mutex-guard.js';
