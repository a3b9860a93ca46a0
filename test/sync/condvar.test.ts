import { describe, expect, it } from 'vitest';
import { Condvar, Mutex, MutexGuard, PoisonError, RwLock, UseAfterMoveError } from 'fearless';
import { runAsTask } from './task-context.js';
import { startWorker } from './run-worker.js';

describe('Condvar', () => {
  it('hands a flag to a waiting thread with notifyOne (the waiter answers through the mutex)', async () => {
    const flag = new Mutex(0);
    const condvar = new Condvar();
    const waiter = startWorker('condvarWaiter', [flag, condvar], 10);
    await waiter.progress;
    {
      using guard = await flag.lock();
      guard.value = 1;
    }
    condvar.notifyOne();
    await waiter.done;
    using guard = await flag.lock();
    expect(guard.value).toBe(11);
  });

  it('wakes every waiter with notifyAll', async () => {
    const flag = new Mutex(0);
    const condvar = new Condvar();
    const waiters = [1, 2, 3].map(() => startWorker('condvarWaiter', [flag, condvar], 10));
    await Promise.all(waiters.map((waiter) => waiter.progress));
    {
      using guard = await flag.lock();
      guard.value = 1;
    }
    condvar.notifyAll();
    await Promise.all(waiters.map((waiter) => waiter.done));
    using guard = await flag.lock();
    expect(guard.value).toBe(31);
  });

  it('wait() releases the mutex while sleeping and returns the same guard, locked again', async () => {
    const flag = new Mutex(0);
    const condvar = new Condvar();
    using guard = await flag.lock();
    const notifier = startWorker('condvarNotifier', [flag, condvar], 5);
    while (guard.value === 0) {
      const returned = await condvar.wait(guard);
      expect(returned).toBe(guard);
    }
    expect(guard.value).toBe(5);
    expect(flag.tryLock()).toBeUndefined();
    await notifier.done;
  });

  it('works with an RwLock write guard too, re-taking the write hold', async () => {
    const lock = new RwLock({ ready: false });
    const condvar = new Condvar();
    const writer = await lock.write();
    const waited = condvar.wait(writer);
    // The write hold was given up while waiting: another writer gets in.
    {
      using other = await lock.write();
      other.value = { ready: true };
    }
    condvar.notifyAll();
    using again = await waited;
    expect(again.value.ready).toBe(true);
    expect(lock.tryRead()).toBeUndefined();
  });

  it('refuses a guard that was already released', () => {
    const flag = new Mutex(0);
    const guard = flag.lockSync();
    guard[Symbol.dispose]();
    expect(() => new Condvar().waitSync(guard)).toThrow(UseAfterMoveError);
  });

  it('a lock poisoned during wait(): PoisonError with the lock released; intoInner() gives the same guard back', async () => {
    const mutex = new Mutex(1);
    const condvar = new Condvar();
    using guard = await mutex.lock();
    const waited = condvar.wait(guard);
    // Another task takes the released lock and panics holding it.
    runAsTask(() => void mutex.lockSync(), { panic: true });
    condvar.notifyOne();
    const error = await waited.then(() => undefined, (rejection: unknown) => rejection);
    expect(error).toBeInstanceOf(PoisonError);
    // The lock is free: the advised recovery works at once.
    mutex.clearPoison();
    const other = mutex.tryLock();
    expect(other?.value).toBe(1);
    other?.[Symbol.dispose]();
    const again = await (error as PoisonError<Promise<MutexGuard<number>>>).intoInner();
    expect(again).toBe(guard);
    expect(guard.value).toBe(1);
  });
});
