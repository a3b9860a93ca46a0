import { describe, expect, it } from 'vitest';
import { MutexGuard, PoisonError, ThreadPanic } from 'fearless';
import {
  addAndSubtract,
  bufferStoredLater,
  condvarHandOff,
  panicAfterRelease,
  panicHoldingGuard,
  readGlossary,
  tenThreadsIncrement,
  workerDiesHoldingLock,
} from '../../dist/test/fixtures/sync/spawn-scenarios.js';

describe('shared state through spawn', () => {
  it('10 spawned threads increment a moved Mutex<number> to 10', async () => {
    expect(await tenThreadsIncrement()).toBe(10);
  });

  it('one thread adds 1e6 and another subtracts 1e6 on a moved atomic: 0', async () => {
    expect(await addAndSubtract()).toBe(0);
  });

  it('4 threads read a glossary shared through Arc', async () => {
    expect(await readGlossary()).toEqual(['mutual exclusion', 'atomically reference counted', 'mutual exclusion', 'atomically reference counted']);
  });

  it('a thread that panics holding a guard poisons the lock; PoisonError.intoInner() still reads the value', async () => {
    const { joinError, poisoned, seen } = await panicHoldingGuard();
    expect(joinError).toBeInstanceOf(ThreadPanic);
    expect(poisoned).toBe(true);
    expect(seen).toBeInstanceOf(PoisonError);
    using guard = await (seen as PoisonError<Promise<MutexGuard<number>>>).intoInner();
    expect(guard.value).toBe(1);
  });

  it('a thread that released its guard before panicking does not poison the lock', async () => {
    expect(await panicAfterRelease()).toEqual({ poisoned: false, value: 2 });
  });

  it('a worker that dies holding the lock releases it: the waiter gets PoisonError, not a hang', async () => {
    const waited = await workerDiesHoldingLock();
    expect(waited).toBeInstanceOf(PoisonError);
    using guard = await (waited as PoisonError<Promise<MutexGuard<number>>>).intoInner();
    expect(guard.value).toBe(13);
  });

  it('a SharedArrayBuffer stored after the move reaches other threads, seen in place', async () => {
    expect(await bufferStoredLater()).toEqual({ first: 5, second: 6 });
  });

  it('Condvar hands a flag from a spawned thread to the main thread waiting asynchronously', async () => {
    expect(await condvarHandOff()).toBe(42);
  });
});
