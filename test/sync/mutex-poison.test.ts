import { describe, expect, it } from 'vitest';
import { Mutex, MutexGuard, PoisonError } from 'fearless';
import { describe as describeHandle, handleKind, type Handle } from '../../dist/src/wire/handle.js';
import { startWorker } from './run-worker.js';
import { runAsTask } from './task-context.js';

function poisonError<Guard = MutexGuard<number>>(body: () => unknown): PoisonError<Guard> {
  try {
    body();
  } catch (error) {
    if (error instanceof PoisonError) return error as PoisonError<Guard>;
    throw error;
  }
  throw new Error('expected a PoisonError');
}

describe('Mutex poisoning', () => {
  it('is poisoned, and released, when a task panics while holding a guard', () => {
    const mutex = new Mutex(0);
    runAsTask(() => {
      const guard = mutex.lockSync();
      guard.value = 7;
    }, { panic: true });
    expect(mutex.isPoisoned).toBe(true);
    const error = poisonError(() => mutex.lockSync());
    expect(error.code).toBe('FEARLESS_POISONED');
    using guard = error.intoInner();
    expect(guard.value).toBe(7);
  });

  it('is not poisoned when the task released its guard before panicking', () => {
    const mutex = new Mutex(0);
    runAsTask(() => {
      using guard = mutex.lockSync();
      guard.value = 1;
    }, { panic: true });
    expect(mutex.isPoisoned).toBe(false);
    using guard = mutex.lockSync();
    expect(guard.value).toBe(1);
  });

  it('tracks guards released out of order: only the ones still held when the task panics are poisoned', () => {
    const [first, second, third] = [new Mutex(1), new Mutex(2), new Mutex(3)];
    runAsTask(() => {
      const a = first.lockSync();
      const b = second.lockSync();
      const c = third.lockSync();
      a[Symbol.dispose](); // not the last one taken
      c[Symbol.dispose]();
      b.value = 20;
    }, { panic: true });
    expect([first.isPoisoned, second.isPoisoned, third.isPoisoned]).toEqual([false, true, false]);
    const again = first.tryLock();
    expect(again).toBeDefined();
    again?.[Symbol.dispose]();
    using guard = poisonError(() => second.lockSync()).intoInner();
    expect(guard.value).toBe(20);
  });

  it('throws PoisonError with the lock released; intoInner() takes it anyway and gives the data (into_inner)', () => {
    const mutex = new Mutex(0);
    runAsTask(() => void mutex.lockSync(), { panic: true });
    const error = poisonError(() => mutex.lockSync());
    // Not held by the error: another lock attempt gets the poison again, not "busy".
    expect(() => mutex.tryLock()).toThrow(PoisonError);
    const guard = error.intoInner();
    guard.value = 99;
    expect(mutex.tryLock()).toBeUndefined();
    guard[Symbol.dispose]();
    // Free again, still poisoned: tryLock reports the poison instead of "busy".
    using again = poisonError<MutexGuard<number> | undefined>(() => mutex.tryLock()).intoInner();
    expect(again?.value).toBe(99);
  });

  it('.guard (API.md) takes the lock on its first read only, and gives the same guard after', () => {
    const mutex = new Mutex(5);
    runAsTask(() => void mutex.lockSync(), { panic: true });
    const error = poisonError(() => mutex.lockSync());
    // Catching the error took nothing: the lock is free (tryLock reports the poison, not "busy").
    expect(() => mutex.tryLock()).toThrow(PoisonError);
    const guard = error.guard;
    expect(guard.value).toBe(5);
    expect(error.guard).toBe(guard);
    expect(mutex.tryLock()).toBeUndefined();
    guard[Symbol.dispose]();
    mutex.clearPoison();
    using again = mutex.lockSync();
    expect(again.value).toBe(5);
  });

  it('the handling its message advises works as written: catch, clearPoison(), lock again (no hang)', async () => {
    const mutex = new Mutex(0);
    runAsTask(() => void mutex.lockSync(), { panic: true });
    let message = '';
    let guard: MutexGuard<number>;
    try {
      guard = await mutex.lock();
    } catch (error) {
      expect(error).toBeInstanceOf(PoisonError);
      message = (error as Error).message;
      mutex.clearPoison();
      guard = await mutex.lock();
    }
    expect(message).toMatch(/clearPoison\(\) on it and lock again/);
    expect(mutex.isPoisoned).toBe(false);
    expect(guard.value).toBe(0);
    guard[Symbol.dispose]();
    // The sync form too.
    runAsTask(() => void mutex.lockSync(), { panic: true });
    expect(() => mutex.lockSync()).toThrow(PoisonError);
    mutex.clearPoison();
    using again = mutex.lockSync();
    expect(again.value).toBe(0);
  });

  it('intoInner() of an async lock() error gives a Promise of the guard, waiting for the lock like lock()', async () => {
    const mutex = new Mutex(3);
    runAsTask(() => void mutex.lockSync(), { panic: true });
    const rejection: unknown = await mutex.lock().catch((error: unknown) => error);
    const holder = (rejection as PoisonError<Promise<MutexGuard<number>>>).intoInner();
    using guard = await holder;
    expect(guard.value).toBe(3);
    expect(mutex.isPoisoned).toBe(true);
  });

  it('clearPoison() makes the lock usable as usual again', async () => {
    const mutex = new Mutex(0);
    runAsTask(() => void mutex.lockSync(), { panic: true });
    const rejection: unknown = await mutex.lock().catch((error: unknown) => error);
    expect(rejection).toBeInstanceOf(PoisonError);
    mutex.clearPoison();
    expect(mutex.isPoisoned).toBe(false);
    using guard = await mutex.lock();
    expect(guard.value).toBe(0);
  });

  it('releases a lock whose worker died holding it: waiters get PoisonError instead of hanging', async () => {
    const mutex = new Mutex(0);
    const holder = startWorker('holdAndDie', [mutex]);
    await holder.progress;
    const mainWaiter = mutex.lock();
    const workerWaiter = startWorker('mutexIncrement', [mutex], 1);
    expect(await holder.exited).toBe(3);
    // What the thread runtime does when a worker dies.
    handleKind('fearless.mutex').onThreadDeath?.((mutex as unknown as Handle)[describeHandle](), holder.slot);
    const error = await mainWaiter.then(
      () => undefined,
      (rejection: unknown) => rejection,
    );
    expect(error).toBeInstanceOf(PoisonError);
    {
      using guard = await (error as PoisonError<Promise<MutexGuard<number>>>).intoInner();
      expect(guard.value).toBe(13);
    }
    await expect(workerWaiter.done).rejects.toThrow(/poisoned/);
  });

  it('a guard still held when its task returns is released with it, without poisoning (Rust drops it)', () => {
    const mutex = new Mutex(0);
    runAsTask(
      () => {
        const guard = mutex.lockSync();
        guard.value = 5;
      },
      { panic: false },
    );
    expect(mutex.isPoisoned).toBe(false);
    const guard = mutex.tryLock();
    expect(guard?.value).toBe(5);
    guard?.[Symbol.dispose]();
  });

  it('a guard still held when its task returns stores the object it changed in place, then is released for good', () => {
    const mutex = new Mutex({ count: 0, log: [] as string[] });
    let leaked: MutexGuard<{ count: number; log: string[] }> | undefined;
    runAsTask(
      () => {
        leaked = mutex.lockSync();
        leaked.value.count++;
        leaked.value.log.push('in the task');
      },
      { panic: false },
    );
    expect(mutex.isPoisoned).toBe(false);
    const guard = mutex.tryLock();
    expect(guard?.value).toEqual({ count: 1, log: ['in the task'] });
    // The guard the task left is dead: reading throws, and disposing it does not free the new hold.
    expect(() => leaked?.value).toThrow(/already released/);
    leaked?.[Symbol.dispose]();
    expect(mutex.tryLock()).toBeUndefined();
    guard?.[Symbol.dispose]();
  });

  it('a guard holding a changed object when its task panics poisons the lock and keeps the change', () => {
    const mutex = new Mutex({ count: 0 });
    runAsTask(
      () => {
        const guard = mutex.lockSync();
        guard.value.count = 41;
      },
      { panic: true },
    );
    expect(mutex.isPoisoned).toBe(true);
    using guard = poisonError<MutexGuard<{ count: number }>>(() => mutex.lockSync()).intoInner();
    expect(guard.value).toEqual({ count: 41 });
  });

  it('a guard still held when its task panics poisons the lock and is released', () => {
    const mutex = new Mutex(0);
    runAsTask(() => void mutex.lockSync(), { panic: true });
    expect(mutex.isPoisoned).toBe(true);
    expect(() => mutex.lockSync()).toThrow(PoisonError);
  });

  it('a task that takes hundreds of locks in turn still releases, and poisons, the ones it holds at the end (its list is compacted)', () => {
    // The task's list of locks is cut down to the held ones every time it passes its limit
    // (64 at first); the held ones must survive every cut, and a lock dropped from the list
    // and taken again must be listed again.
    const held = [new Mutex(-1), new Mutex(-2), new Mutex(-3)];
    const passing = Array.from({ length: 300 }, (_, index) => new Mutex(index));
    const retaken = passing[5]!;
    runAsTask(() => {
      const first = held[0]!.lockSync();
      first.value = 100;
      for (const [index, lock] of passing.entries()) {
        const guard = lock.lockSync();
        guard.value += 1;
        guard[Symbol.dispose]();
        if (index === 150) held[1]!.lockSync().value = 200;
      }
      // Dropped from the list by a cut long ago, then taken again and kept.
      retaken.lockSync().value = 500;
      held[2]!.lockSync().value = 300;
    }, { panic: true });
    expect(held.map((lock) => lock.isPoisoned)).toEqual([true, true, true]);
    expect(retaken.isPoisoned).toBe(true);
    for (const [index, lock] of held.entries()) {
      using guard = poisonError(() => lock.lockSync()).intoInner();
      expect(guard.value).toBe(100 * (index + 1));
    }
    using again = poisonError(() => retaken.lockSync()).intoInner();
    expect(again.value).toBe(500);
    expect(passing.filter((lock) => lock !== retaken).every((lock) => !lock.isPoisoned)).toBe(true);
    for (const [index, lock] of passing.entries()) {
      if (lock === retaken) continue;
      using guard = lock.lockSync();
      expect(guard.value).toBe(index + 1);
    }
  });
});
