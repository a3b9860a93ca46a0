import { describe, expect, it } from 'vitest';
import { AtomicI32, InvalidArgumentError, Semaphore, SemaphorePermit } from 'fearless';
import { describe as describeHandle, handleKind, type Handle } from '../../dist/src/wire/handle.js';
import { runWorkers, startWorker } from './run-worker.js';
import { runAsTask } from './task-context.js';

describe('Semaphore', () => {
  it('rejects bad permit counts, naming the parameter', async () => {
    expect(() => new Semaphore(-1)).toThrow(InvalidArgumentError);
    expect(() => new Semaphore(-1)).toThrow('new Semaphore(permits): permits must be an integer from 1 to 2147483647, got -1');
    const semaphore = new Semaphore(2);
    expect(() => semaphore.tryAcquire(3)).toThrow('Semaphore.tryAcquire(count): count must be an integer from 1 to 2 (the semaphore\'s total permits), got 3');
    expect(() => semaphore.acquireSync(0)).toThrow(/acquireSync\(count\)/);
    await expect(semaphore.acquire(1.5)).rejects.toThrow(/acquire\(count\)/);
  });

  it('hands out permits until none are free; a released permit can be taken again', () => {
    const semaphore = new Semaphore(2);
    const first = semaphore.tryAcquire();
    const second = semaphore.tryAcquire();
    expect(first).toBeInstanceOf(SemaphorePermit);
    expect(second).toBeInstanceOf(SemaphorePermit);
    expect(semaphore.tryAcquire()).toBeUndefined();
    expect(semaphore.available).toBe(0);
    first?.[Symbol.dispose]();
    first?.[Symbol.dispose]();
    expect(semaphore.available).toBe(1);
    using third = semaphore.tryAcquire();
    expect(third?.count).toBe(1);
    second?.release();
  });

  it('acquire(n) waits until n permits are free at once', async () => {
    const semaphore = new Semaphore(2);
    const first = semaphore.acquireSync();
    const second = semaphore.acquireSync();
    let taken = false;
    const both = semaphore.acquire(2).then((permit) => {
      taken = true;
      return permit;
    });
    first.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(taken).toBe(false);
    second.release();
    using permit = await both;
    expect(permit.count).toBe(2);
    expect(semaphore.available).toBe(0);
  });

  it('gets back the permits a task still holds when it ends, returned or panicked (dropped with it)', () => {
    const semaphore = new Semaphore(2);
    let during = -1;
    runAsTask(
      () => {
        void semaphore.acquireSync(2);
        during = semaphore.available;
      },
      { panic: false },
    );
    expect(during).toBe(0);
    expect(semaphore.available).toBe(2);
    const other = new Semaphore(2);
    runAsTask(() => void other.acquireSync(2), { panic: true });
    expect(other.available).toBe(2);
  });

  it('never lets more threads in than it has permits', async () => {
    const semaphore = new Semaphore(2);
    const inside = new AtomicI32(0);
    const most = new AtomicI32(0);
    await runWorkers('semaphore', 300, 4, [semaphore, inside, most]);
    expect(most.load()).toBeGreaterThanOrEqual(1);
    expect(most.load()).toBeLessThanOrEqual(2);
    expect(semaphore.available).toBe(2);
  });

  it('gets back the permits of a worker that died holding them', async () => {
    const semaphore = new Semaphore(3);
    const holder = startWorker('holdPermitsAndDie', [semaphore], 2);
    await holder.progress;
    expect(semaphore.available).toBe(1);
    const waiting = semaphore.acquire(3);
    expect(await holder.exited).toBe(3);
    handleKind('fearless.semaphore').onThreadDeath?.((semaphore as unknown as Handle)[describeHandle](), holder.slot);
    using permit = await waiting;
    expect(permit.count).toBe(3);
  });
});
