import { describe, expect, it } from 'vitest';
import { AtomicI32, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard, WouldDeadlockError } from 'fearless';
import { setThreadContext } from '../../dist/src/wire/context.js';
import { describe as describeHandle, handleKind, type Handle } from '../../dist/src/wire/handle.js';
import { runWorkers, startWorker } from './run-worker.js';
import { runAsTask } from './task-context.js';

/** Runs `body` as if on another thread slot: a thread with no read hold of its own. */
function asOtherThread<Result>(body: () => Result): Result {
  setThreadContext({ slot: 200, currentTask: () => undefined, track: () => {} });
  try {
    return body();
  } finally {
    setThreadContext({ slot: 0, currentTask: () => undefined, track: () => {} });
  }
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('RwLock on one thread', () => {
  it('lets readers share the lock and keeps writers out while anyone reads', () => {
    const lock = new RwLock({ version: 1 });
    const first = lock.readSync();
    const second = lock.tryRead();
    expect(second).toBeInstanceOf(RwLockReadGuard);
    expect(first.value.version).toBe(1);
    expect(lock.tryWrite()).toBeUndefined();
    first[Symbol.dispose]();
    expect(lock.tryWrite()).toBeUndefined();
    second?.[Symbol.dispose]();
    const writer = lock.tryWrite();
    expect(writer).toBeInstanceOf(RwLockWriteGuard);
    expect(lock.tryRead()).toBeUndefined();
    writer?.[Symbol.dispose]();
  });

  it('stores what a write guard changes, in place or by assignment', async () => {
    const lock = new RwLock({ version: 1, tags: ['a'] });
    {
      using writer = await lock.write();
      writer.value.tags.push('b');
    }
    {
      using writer = lock.writeSync();
      writer.value = { version: 2, tags: [...writer.value.tags, 'c'] };
    }
    using reader = await lock.read();
    expect(reader.value).toEqual({ version: 2, tags: ['a', 'b', 'c'] });
  });

  it('throws WouldDeadlockError when a thread that reads asks to write, or one that writes asks to read', () => {
    const lock = new RwLock(0);
    {
      using _reader = lock.readSync();
      expect(() => lock.writeSync()).toThrow(WouldDeadlockError);
    }
    using _writer = lock.writeSync();
    expect(() => lock.readSync()).toThrow(/already writes/);
  });

  it('is poisoned by a task that panics holding a write guard, not by one holding a read guard', () => {
    const lock = new RwLock(1);
    runAsTask(() => void lock.readSync(), { panic: true });
    expect(lock.isPoisoned).toBe(false);
    using writer = lock.tryWrite();
    expect(writer).toBeInstanceOf(RwLockWriteGuard);
  });

  it('gives back every read hold a task still has when it returns, whatever order it released others in', () => {
    const lock = new RwLock(1);
    runAsTask(() => {
      const [a, b, c] = [lock.readSync(), lock.readSync(), lock.readSync()];
      b[Symbol.dispose](); // out of order
      expect(a.value + c.value).toBe(2);
    }, { panic: false });
    using writer = lock.tryWrite();
    expect(writer).toBeInstanceOf(RwLockWriteGuard);
  });

  it('gives access through PoisonError.intoInner() after a writer panicked, until clearPoison()', () => {
    const lock = new RwLock(1);
    runAsTask(() => {
      const writer = lock.writeSync();
      writer.value = 2;
    }, { panic: true });
    expect(lock.isPoisoned).toBe(true);
    let caught: unknown;
    try {
      lock.readSync();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PoisonError);
    // The error holds nothing: a writer can come in (and is refused for the poison, not busy).
    expect(() => lock.tryWrite()).toThrow(PoisonError);
    const guard = (caught as PoisonError<RwLockReadGuard<number>>).intoInner();
    expect(guard.value).toBe(2);
    guard[Symbol.dispose]();
    const writer = (() => {
      try {
        return lock.writeSync();
      } catch (error) {
        return (error as PoisonError<RwLockWriteGuard<number>>).intoInner();
      }
    })();
    writer.value = 3;
    writer[Symbol.dispose]();
    lock.clearPoison();
    using reader = lock.readSync();
    expect(reader.value).toBe(3);
  });

  it('catch, clearPoison(), lock again does not hang (async write)', async () => {
    const lock = new RwLock(1);
    runAsTask(() => void lock.writeSync(), { panic: true });
    let writer: RwLockWriteGuard<number>;
    try {
      writer = await lock.write();
    } catch (error) {
      expect(error).toBeInstanceOf(PoisonError);
      lock.clearPoison();
      writer = await lock.write();
    }
    expect(writer.value).toBe(1);
    writer[Symbol.dispose]();
  });
});

describe('RwLock across threads', () => {
  it('lets another thread read while this one reads', async () => {
    const lock = new RwLock({ version: 0 });
    const inside = new AtomicI32(0);
    const most = new AtomicI32(0);
    using _reader = await lock.read();
    await startWorker('rwlockReader', [lock, inside, most], 1).done;
    expect(most.load()).toBe(1);
  });

  it('makes new readers wait behind a waiting writer, so writers are not starved', async () => {
    const lock = new RwLock({ version: 0 });
    const inside = new AtomicI32(0);
    const reader = await lock.read();
    const writer = startWorker('rwlockWriter', [lock, inside], 1);
    // Once the writer waits, a thread that does not read yet is kept out.
    for (;;) {
      const probe = asOtherThread(() => lock.tryRead());
      if (probe === undefined) break;
      probe[Symbol.dispose]();
      await tick();
    }
    reader[Symbol.dispose]();
    expect(await writer.done).toBe(0);
    using after = await lock.read();
    expect(after.value.version).toBe(1);
  });

  it('never lets a writer in while a reader or another writer is inside', async () => {
    const lock = new RwLock({ version: 0 });
    const inside = new AtomicI32(0);
    const most = new AtomicI32(0);
    const [readers, writers] = await Promise.all([
      runWorkers('rwlockReader', 2_000, 2, [lock, inside, most]),
      runWorkers('rwlockWriter', 300, 2, [lock, inside]),
    ]);
    expect(readers).toEqual([null, null]);
    expect(writers).toEqual([0, 0]);
    using reader = await lock.read();
    expect(reader.value.version).toBe(600);
  });

  it('releases and poisons a write lock whose worker died; waiting readers get PoisonError', async () => {
    const lock = new RwLock(0);
    const holder = startWorker('holdAndDie', [lock]);
    await holder.progress;
    const waiting = lock.read();
    expect(await holder.exited).toBe(3);
    handleKind('fearless.rwlock').onThreadDeath?.((lock as unknown as Handle)[describeHandle](), holder.slot);
    const error: unknown = await waiting.catch((rejection: unknown) => rejection);
    expect(error).toBeInstanceOf(PoisonError);
    using guard = await (error as PoisonError<Promise<RwLockReadGuard<number>>>).intoInner();
    expect(guard.value).toBe(13);
  });

  it('gives back the read hold of a worker that died reading, without poisoning', async () => {
    const lock = new RwLock(0);
    const holder = startWorker('readAndDie', [lock]);
    await holder.progress;
    expect(lock.tryWrite()).toBeUndefined();
    const writing = lock.write();
    expect(await holder.exited).toBe(3);
    handleKind('fearless.rwlock').onThreadDeath?.((lock as unknown as Handle)[describeHandle](), holder.slot);
    using writer = await writing;
    writer.value = 1;
    expect(lock.isPoisoned).toBe(false);
  });
});
