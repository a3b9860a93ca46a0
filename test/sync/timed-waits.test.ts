import { describe, expect, it } from 'vitest';
import { Condvar, InvalidArgumentError, Mutex, Semaphore, WouldDeadlockError } from 'fearless';
import {
  tryAcquireForWhileHeld,
  tryLockForSyncInThread,
  tryLockForWhileHeld,
  waitTimeoutSyncInThread,
} from '../../dist/test/fixtures/sync/timed-scenarios.js';

/** Generous bounds: these tests say "gave up" or "got it", never how fast. */
const SHORT = 30;
const LONG = 10_000;

describe('Mutex.tryLockFor / tryLockForSync', () => {
  it('gives undefined when the holder keeps the lock past the time limit, and waits at least that long', async () => {
    const mutex = new Mutex(1);
    using held = mutex.lockSync();
    const started = performance.now();
    expect(await mutex.tryLockFor(SHORT)).toBeUndefined();
    expect(performance.now() - started).toBeGreaterThanOrEqual(SHORT - 2);
    expect(held.value).toBe(1);
  });

  it('gets the lock when another thread releases it in time', async () => {
    expect(await tryLockForWhileHeld(20, LONG)).toEqual({ got: true, value: 7 });
  });

  it('gives up while another thread still holds it', async () => {
    expect(await tryLockForWhileHeld(300, SHORT)).toEqual({ got: false, value: undefined });
  });

  it('a free lock is taken at once, even with 0 ms', async () => {
    const mutex = new Mutex('free');
    const guard = await mutex.tryLockFor(0);
    expect(guard?.value).toBe('free');
    guard?.[Symbol.dispose]();
    const again = mutex.tryLockForSync(0);
    expect(again?.value).toBe('free');
    again?.[Symbol.dispose]();
  });

  it('blocks a thread until the lock is released in time, or gives up', async () => {
    expect(await tryLockForSyncInThread(20, LONG)).toBe(true);
    expect(await tryLockForSyncInThread(300, SHORT)).toBe(false);
  });

  it('tryLockForSync on a lock this thread holds is a deadlock, not a timeout', () => {
    const mutex = new Mutex(0);
    using held = mutex.lockSync();
    expect(() => mutex.tryLockForSync(LONG)).toThrow(WouldDeadlockError);
    expect(held.value).toBe(0);
  });

  it('refuses a bad time limit with InvalidArgumentError naming the call', async () => {
    const mutex = new Mutex(0);
    await expect(mutex.tryLockFor(-1)).rejects.toMatchObject({ code: 'FEARLESS_INVALID_ARGUMENT' });
    await expect(mutex.tryLockFor(-1)).rejects.toThrow(/Mutex\.tryLockFor\(ms\)/);
    expect(() => mutex.tryLockForSync(Number.NaN)).toThrow(InvalidArgumentError);
    expect(() => mutex.tryLockForSync('5' as unknown as number)).toThrow(/tryLockForSync\(ms\): ms must be .*, got '5'/);
    // Nothing was taken by the refused calls.
    expect(mutex.tryLock()).toBeDefined();
  });
});

describe('Condvar.waitTimeout / waitTimeoutSync', () => {
  it('times out without a notification, returning the same guard locked again', async () => {
    const mutex = new Mutex(3);
    const condvar = new Condvar();
    const guard = await mutex.lock();
    const started = performance.now();
    const result = await condvar.waitTimeout(guard, SHORT);
    expect(performance.now() - started).toBeGreaterThanOrEqual(SHORT - 2);
    expect(result.timedOut).toBe(true);
    expect(result.guard).toBe(guard);
    expect(result.guard.value).toBe(3);
    expect(mutex.tryLock()).toBeUndefined();
    guard[Symbol.dispose]();
  });

  it('a notification before the limit ends the wait: timedOut is false', async () => {
    const mutex = new Mutex(0);
    const condvar = new Condvar();
    using guard = await mutex.lock();
    const waited = condvar.waitTimeout(guard, LONG);
    // The wait released the lock: another task takes it, changes the value, notifies.
    {
      using other = await mutex.lock();
      other.value = 9;
    }
    condvar.notifyAll();
    const result = await waited;
    expect(result).toEqual({ guard, timedOut: false });
    expect(guard.value).toBe(9);
  });

  it('in a thread: waitTimeoutSync times out, or is woken by a notify in time', async () => {
    expect(await waitTimeoutSyncInThread(SHORT, undefined)).toEqual({ timedOut: true, value: 0, stillLocked: true });
    expect(await waitTimeoutSyncInThread(LONG, 10)).toEqual({ timedOut: false, value: 5, stillLocked: true });
  });

  it('refuses a bad time limit before releasing the guard', async () => {
    const mutex = new Mutex(0);
    const condvar = new Condvar();
    using guard = mutex.lockSync();
    expect(() => condvar.waitTimeoutSync(guard, -5)).toThrow(/Condvar\.waitTimeoutSync\(guard, ms\)/);
    await expect(condvar.waitTimeout(guard, Number.NaN)).rejects.toBeInstanceOf(InvalidArgumentError);
    // Still held by us: the refused calls did not unlock.
    expect(mutex.tryLock()).toBeUndefined();
    expect(guard.value).toBe(0);
  });
});

describe('Semaphore.tryAcquireFor', () => {
  it('gives undefined when no permit frees up in time', async () => {
    const semaphore = new Semaphore(1);
    using held = semaphore.tryAcquire()!;
    const started = performance.now();
    expect(await semaphore.tryAcquireFor(SHORT)).toBeUndefined();
    expect(performance.now() - started).toBeGreaterThanOrEqual(SHORT - 2);
    expect(semaphore.available).toBe(0);
    expect(held.count).toBe(1);
  });

  it('takes the permits another thread gives back in time, or gives up', async () => {
    expect(await tryAcquireForWhileHeld(20, LONG)).toBe(true);
    expect(await tryAcquireForWhileHeld(300, SHORT)).toBe(false);
  });

  it('takes free permits at once and checks its arguments', async () => {
    const semaphore = new Semaphore(3);
    const permit = await semaphore.tryAcquireFor(0, 2);
    expect(permit?.count).toBe(2);
    expect(semaphore.available).toBe(1);
    permit?.release();
    await expect(semaphore.tryAcquireFor(-1)).rejects.toThrow(/Semaphore\.tryAcquireFor\(ms, count\)/);
    await expect(semaphore.tryAcquireFor(10, 4)).rejects.toMatchObject({ code: 'FEARLESS_INVALID_ARGUMENT' });
  });
});
