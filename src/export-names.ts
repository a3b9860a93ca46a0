/**
 * The names the package exports as values (`Object.keys(await import('fearless'))`), as a
 * static list: the spawn-time check (src/thread/capture-check.ts) lets a closure name them,
 * since the worker passes every export in. A leaf module, so the check does not import the
 * package's entry (which imports thread/ back).
 *
 * Kept equal to the entry's exports in both directions: at compile time by the check below
 * (a type-only import, no module edge), and at run time by
 * test/architecture/export-names.test.ts.
 */
import type * as Fearless from './index.js';

export const exportNames = [
  'Arc',
  'AtomicBool',
  'AtomicI32',
  'AtomicI64',
  'AtomicU32',
  'Barrier',
  'CapacityError',
  'CaptureError',
  'Condvar',
  'FearlessError',
  'InvalidArgumentError',
  'JoinHandle',
  'Moved',
  'Mutex',
  'MutexGuard',
  'NotCloneableError',
  'PlatformError',
  'PoisonError',
  'PoolClosedError',
  'Receiver',
  'RecvError',
  'RecvTimeoutError',
  'RwLock',
  'RwLockReadGuard',
  'RwLockWriteGuard',
  'Semaphore',
  'SemaphorePermit',
  'SendError',
  'Sender',
  'SyncSender',
  'ThreadAbortedError',
  'ThreadPanic',
  'ThreadPool',
  'UseAfterMoveError',
  'WouldDeadlockError',
  'assertNotSend',
  'assertSend',
  'assertSync',
  'channel',
  'move',
  'notSend',
  'notSync',
  'scope',
  'select',
  'selectSync',
  'spawn',
  'spawnExport',
  'syncChannel',
] as const;

type Listed = (typeof exportNames)[number];
type Exported = keyof typeof Fearless;
type Difference = [Exclude<Exported, Listed>, Exclude<Listed, Exported>] extends [never, never] ? true : { missing: Exclude<Exported, Listed>; extra: Exclude<Listed, Exported> };
type Same<Check extends true> = Check;
/** Fails to compile, naming the names, when the list and the entry's value exports differ. */
export type ExportNamesMatch = Same<Difference>;
