import { describe, expect, it } from 'vitest';
import { AtomicI32, Mutex, MutexGuard, NotCloneableError, UseAfterMoveError, WouldDeadlockError } from 'fearless';
import { describe as describeHandle, type Handle } from '../../dist/src/wire/handle.js';
import { parkedCount } from '../../dist/src/hub/hub.js';
import { runWorkers, startWorker } from './run-worker.js';

describe('Mutex on one thread', () => {
  it('gives the value to a guard and keeps what the guard stored', () => {
    const mutex = new Mutex(1);
    {
      using guard = mutex.lockSync();
      expect(guard).toBeInstanceOf(MutexGuard);
      expect(guard.value).toBe(1);
      guard.value = 2;
    }
    using guard = mutex.lockSync();
    expect(guard.value).toBe(2);
  });

  it('keeps changes made in place to an object value (guard.value.count++)', () => {
    const mutex = new Mutex({ count: 0, log: [] as string[] });
    for (let round = 0; round < 3; round++) {
      using guard = mutex.lockSync();
      guard.value.count++;
      guard.value.log.push(`round ${round}`);
    }
    using guard = mutex.lockSync();
    expect(guard.value).toEqual({ count: 3, log: ['round 0', 'round 1', 'round 2'] });
  });

  it('releases the lock at the end of a using block and when the block throws', () => {
    const mutex = new Mutex('free');
    {
      using _guard = mutex.lockSync();
      expect(mutex.tryLock()).toBeUndefined();
    }
    expect(() => {
      using guard = mutex.lockSync();
      guard.value = 'changed before the throw';
      throw new Error('boom');
    }).toThrow('boom');
    using guard = mutex.tryLock();
    expect(guard?.value).toBe('changed before the throw');
  });

  it('tryLock returns undefined while the lock is held and a guard once it is free (try_lock)', () => {
    const mutex = new Mutex(0);
    const held = mutex.lockSync();
    expect(mutex.tryLock()).toBeUndefined();
    held[Symbol.dispose]();
    const again = mutex.tryLock();
    expect(again).toBeInstanceOf(MutexGuard);
    again?.[Symbol.dispose]();
  });

  it('throws WouldDeadlockError from lockSync on a lock this thread holds, instead of hanging', () => {
    const mutex = new Mutex(0);
    using _guard = mutex.lockSync();
    expect(() => mutex.lockSync()).toThrow(WouldDeadlockError);
    expect(() => mutex.lockSync()).toThrow(/already holds the lock/);
  });

  it('lets lock() wait for another task of the same thread to release it', async () => {
    const mutex = new Mutex<string[]>([]);
    const first = mutex.lockSync();
    const second = mutex.lock().then((guard) => {
      guard.value = [...guard.value, 'second'];
      guard[Symbol.dispose]();
    });
    await new Promise((resolve) => setImmediate(resolve));
    first.value = ['first'];
    first[Symbol.dispose]();
    await second;
    using guard = mutex.lockSync();
    expect(guard.value).toEqual(['first', 'second']);
  });

  it('refuses a released guard with a clear error; releasing twice is harmless', () => {
    const mutex = new Mutex(5);
    const guard = mutex.lockSync();
    guard[Symbol.dispose]();
    guard[Symbol.dispose]();
    expect(() => guard.value).toThrow(UseAfterMoveError);
    expect(() => {
      guard.value = 6;
    }).toThrow(/already released/);
    using again = mutex.lockSync();
    expect(again.value).toBe(5);
  });

  it('a released guard stays released when the lock is taken again: disposing it again does not free the new hold', () => {
    const mutex = new Mutex({ n: 1 });
    const first = mutex.lockSync();
    first.value.n = 2;
    first[Symbol.dispose]();
    const second = mutex.lockSync();
    first[Symbol.dispose]();
    expect(mutex.tryLock()).toBeUndefined();
    expect(() => first.value).toThrow(UseAfterMoveError);
    second.value.n++;
    second[Symbol.dispose]();
    using third = mutex.lockSync();
    expect(third.value).toEqual({ n: 3 });
  });

  it('round-trips plain data of every Send kind', () => {
    const shared = new Int32Array(new SharedArrayBuffer(8));
    const value = {
      text: 'héllo \u{1F980} \ud800',
      numbers: [0, -0, 1.5, -(2 ** 40), Number.NaN, Infinity],
      flags: [true, false, null, undefined],
      big: -(2n ** 70n),
      when: new Date(1_700_000_000_000),
      map: new Map<string, number[]>([['a', [1]]]),
      set: new Set(['x', 'y']),
      pattern: /a+b/giu,
      error: new RangeError('out'),
      bytes: new Uint8Array([1, 2, 3]),
      shared,
    };
    const mutex = new Mutex(value);
    using guard = mutex.lockSync();
    const read = guard.value;
    expect(read).toEqual(value);
    expect(Object.is(read.numbers[1], -0)).toBe(true);
    expect(read.bytes).not.toBe(value.bytes);
    expect(read.shared.buffer).toBe(shared.buffer);
  });

  it('keeps shared references and cycles in the value', () => {
    type Node = { name: string; next?: Node };
    const node: Node = { name: 'loop' };
    node.next = node;
    const both = { left: node, right: node };
    using guard = new Mutex(both).lockSync();
    expect(guard.value.left).toBe(guard.value.right);
    expect(guard.value.left.next).toBe(guard.value.left);
  });

  it('rejects a value that cannot cross, naming the path, and keeps the old value', () => {
    // The types keep functions out; `as never` stands for a value that got past them (any).
    const mutex = new Mutex<{ items: number[] }>({ items: [] });
    using guard = mutex.lockSync();
    let caught: unknown;
    try {
      guard.value = { items: [1, 2, 3, { cb: () => 1 }] } as never;
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(NotCloneableError);
    expect((caught as NotCloneableError).path).toBe('.items[3].cb');
    expect((caught as Error).message).toMatch(/Mutex value at \.items\[3\]\.cb cannot cross.*functions/);
    expect(guard.value).toEqual({ items: [] });
    class Point {
      x = 1;
      norm(): number {
        return this.x;
      }
    }
    expect(() => new Mutex<number[]>([new Point() as never])).toThrow(/\[0\] cannot cross.*instance of Point has methods/);
  });

  it('holds a Sync handle inside its value: the atomic read back is the same atomic', () => {
    const hits = new AtomicI32(0);
    const mutex = new Mutex({ hits });
    {
      using guard = mutex.lockSync();
      guard.value.hits.fetchAdd(5);
    }
    expect(hits.load()).toBe(5);
  });

  it('parks a stored SharedArrayBuffer in the hub only once the Mutex has been shared', () => {
    const before = parkedCount();
    const mutex = new Mutex({ samples: new Int32Array(new SharedArrayBuffer(8)) });
    {
      using guard = mutex.lockSync();
      guard.value = { samples: new Int32Array(new SharedArrayBuffer(8)) };
    }
    expect(parkedCount()).toBe(before);
    // Described for another thread: a buffer stored from now on cannot travel with it.
    (mutex as unknown as Handle)[describeHandle]();
    {
      using guard = mutex.lockSync();
      guard.value = { samples: new Int32Array(new SharedArrayBuffer(8)) };
    }
    expect(parkedCount()).toBe(before + 1);
  });

  it('grows its shared storage when a larger value is stored, in the same buffer every thread has', () => {
    const mutex = new Mutex('');
    const buffer = (mutex as unknown as Handle)[describeHandle]().buffers[0]!;
    const initial = buffer.byteLength;
    const big = 'z'.repeat(300_000);
    {
      using guard = mutex.lockSync();
      guard.value = big;
    }
    // Latin-1 text takes a byte per character.
    expect(buffer.byteLength).toBeGreaterThanOrEqual(big.length);
    expect(initial).toBeLessThan(1024);
    expect((mutex as unknown as Handle)[describeHandle]().buffers[0]).toBe(buffer);
    {
      using guard = mutex.lockSync();
      expect(guard.value).toBe(big);
      guard.value = 'small';
    }
    using guard = mutex.lockSync();
    expect(guard.value).toBe('small');
  });
});

describe('Mutex across threads', () => {
  it('10 threads each add 1 to a shared counter: it ends at 10', async () => {
    const counter = new Mutex(0);
    await runWorkers('mutexIncrement', 1, 10, [counter]);
    using guard = await counter.lock();
    expect(guard.value).toBe(10);
  });

  it('lots and lots: 2 threads and the main thread increment 20 000 times in all without a lost update', async () => {
    const counter = new Mutex(0);
    const workers = runWorkers('mutexIncrement', 5_000, 2, [counter]);
    for (let index = 0; index < 10_000; index++) {
      using guard = await counter.lock();
      guard.value++;
    }
    await workers;
    using guard = await counter.lock();
    expect(guard.value).toBe(20_000);
  });

  it('wakes a blocked thread on unlock even when an async waiter queued first on a busy thread', async () => {
    const mutex = new Mutex(0);
    const entered = new AtomicI32(0);
    const held = mutex.lockSync();
    // An async waiter on this (main) thread, queued before the worker's blocking one.
    const queued = mutex.lock();
    const worker = startWorker('announceThenIncrement', [mutex, entered]);
    await worker.progress;
    // Not synchronisation (the outcome must be the same either way): time for the worker to
    // fall asleep in lockSync, which is the situation under test.
    await new Promise((resolve) => setTimeout(resolve, 300));
    held[Symbol.dispose]();
    // Stay busy, so the async waiter cannot run: only the unlock's own wake-up can let the
    // worker in. Were it spent on the async waiter, the worker would sleep on a free lock.
    const deadline = Date.now() + 20_000;
    while (entered.load() === 0 && Date.now() < deadline);
    expect(entered.load()).toBe(1);
    (await queued)[Symbol.dispose]();
    await worker.done;
  });

  it('keeps in-place object changes made by other threads through lock()', async () => {
    const state = new Mutex({ count: 0 });
    await runWorkers('mutexIncrementField', 500, 2, [state]);
    using guard = await state.lock();
    expect(guard.value.count).toBe(1_000);
  });

  it('shows a typed array over a SharedArrayBuffer in place: a worker writes, every view sees it', async () => {
    const samples = new Int32Array(new SharedArrayBuffer(16));
    const mutex = new Mutex({ samples });
    await startWorker('writeInPlace', [mutex], 42).done;
    expect(samples[0]).toBe(42);
    using guard = await mutex.lock();
    expect(guard.value.samples[0]).toBe(42);
    expect(guard.value.samples.buffer).toBe(samples.buffer);
  });

  it('sees a value another thread replaced after this thread had read it (no stale decode)', async () => {
    const mutex = new Mutex('before');
    {
      using guard = await mutex.lock();
      expect(guard.value).toBe('before');
    }
    await startWorker('storeLarge', [mutex], 3).done;
    using guard = await mutex.lock();
    expect(guard.value).toBe('xxx');
  });

  it('grows storage from another thread: a value larger than the initial buffer arrives whole', async () => {
    const mutex = new Mutex('');
    await startWorker('storeLarge', [mutex], 100_000).done;
    using guard = await mutex.lock();
    expect(guard.value).toBe('x'.repeat(100_000));
  });
});
