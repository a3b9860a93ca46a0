/**
 * Every lock kind under the runtime running this script, shared between the main thread
 * (async calls) and workers (blocking calls).
 */
import assert from 'node:assert/strict';
import { AtomicI32, Barrier, Condvar, Mutex, RwLock, Semaphore, channel, move, spawn } from 'fearless';
import { suite } from './suite.js';

const check = suite('locks');

await check('Mutex: 4 workers with lockSync and main with await lock() lose no update', async () => {
  const counter = new Mutex({ count: 0 });
  const workers = [0, 1, 2, 3].map(() =>
    spawn(move(counter), (counter) => {
      for (let index = 0; index < 200; index++) {
        using guard = counter.lockSync();
        guard.value = { count: guard.value.count + 1 };
      }
    }),
  );
  for (let index = 0; index < 100; index++) {
    using guard = await counter.lock();
    guard.value = { count: guard.value.count + 1 };
  }
  await Promise.all(workers.map((handle) => handle.join()));
  using guard = counter.lockSync();
  assert.equal(guard.value.count, 900);
  assert.equal(counter.tryLock(), undefined, 'tryLock fails while the guard is held');
});

await check('Mutex: typed arrays over a SharedArrayBuffer are seen in place', async () => {
  const cells = new Mutex(new Int32Array(new SharedArrayBuffer(16)));
  await Promise.all(
    [0, 1, 2, 3].map((index) =>
      spawn(move(cells, index), (cells, index) => {
        using guard = cells.lockSync();
        guard.value[index] = index + 10;
      }).join(),
    ),
  );
  using guard = await cells.lock();
  assert.deepEqual([...guard.value], [10, 11, 12, 13]);
});

await check('RwLock: readers in workers never see a half-done write', async () => {
  const pair = new RwLock({ a: 0, b: 0 });
  const writer = spawn(move(pair), (pair) => {
    for (let index = 1; index <= 300; index++) {
      using guard = pair.writeSync();
      guard.value = { a: index, b: index };
    }
  });
  const readers = [0, 1].map(() =>
    spawn(move(pair), (pair) => {
      let torn = 0;
      for (let index = 0; index < 300; index++) {
        using guard = pair.readSync();
        if (guard.value.a !== guard.value.b) torn++;
      }
      return torn;
    }),
  );
  assert.deepEqual(await Promise.all(readers.map((handle) => handle.join())), [0, 0]);
  await writer.join();
  using guard = await pair.read();
  assert.deepEqual(guard.value, { a: 300, b: 300 });
});

await check('Condvar: a worker sleeps in waitSync until main sets the flag and notifies', async () => {
  const ready = new Mutex(false);
  const condvar = new Condvar();
  const [waitingTx, waitingRx] = channel<string>();
  const waiter = spawn(move(ready, condvar, waitingTx), (ready, condvar, waitingTx) => {
    let guard = ready.lockSync();
    let wakeUps = 0;
    // Said while holding the lock: main can take it only once waitSync has released it.
    waitingTx.send('waiting');
    while (!guard.value) {
      guard = condvar.waitSync(guard);
      wakeUps++;
    }
    guard[Symbol.dispose]();
    return wakeUps;
  });
  assert.equal(await waitingRx.recv(), 'waiting');
  {
    using guard = await ready.lock();
    guard.value = true;
  }
  condvar.notifyAll();
  assert.ok((await waiter.join()) >= 1, 'the worker was woken from waitSync');
});

await check('Condvar: main waits with await while a worker notifies', async () => {
  const queue = new Mutex<number[]>([]);
  const condvar = new Condvar();
  const producer = spawn(move(queue, condvar), (queue, condvar) => {
    for (let value = 1; value <= 5; value++) {
      {
        using guard = queue.lockSync();
        guard.value = [...guard.value, value];
      }
      condvar.notifyOne();
    }
  });
  let guard = await queue.lock();
  while (guard.value.length < 5) guard = await condvar.wait(guard);
  assert.deepEqual(guard.value, [1, 2, 3, 4, 5]);
  guard[Symbol.dispose]();
  await producer.join();
});

await check('Barrier: two workers and main meet 5 times, one leader each time', async () => {
  const barrier = new Barrier(3);
  const workers = [0, 1].map(() =>
    spawn(move(barrier), (barrier) => {
      let led = 0;
      for (let round = 0; round < 5; round++) if (barrier.waitSync().isLeader) led++;
      return led;
    }),
  );
  let led = 0;
  for (let round = 0; round < 5; round++) if ((await barrier.wait()).isLeader) led++;
  const workersLed = await Promise.all(workers.map((handle) => handle.join()));
  assert.equal(led + workersLed[0]! + workersLed[1]!, 5);
});

await check('Semaphore: at most 2 of 4 workers inside at once; tryAcquire fails when none are free', async () => {
  const permits = new Semaphore(2);
  const inside = new AtomicI32(0);
  const most = new AtomicI32(0);
  const workers = [0, 1, 2, 3].map(() =>
    spawn(move(permits, inside, most), (permits, inside, most) => {
      for (let round = 0; round < 25; round++) {
        using _permit = permits.acquireSync();
        const now = inside.fetchAdd(1) + 1;
        let seen = most.load();
        while (now > seen) {
          const previous = most.compareExchange(seen, now);
          if (previous === seen) break;
          seen = previous;
        }
        inside.fetchSub(1);
      }
    }),
  );
  await Promise.all(workers.map((handle) => handle.join()));
  assert.ok(most.load() >= 1 && most.load() <= 2, `most inside at once: ${most.load()}`);
  const first = await permits.acquire(2);
  assert.equal(permits.tryAcquire(), undefined);
  first[Symbol.dispose]();
  const again = permits.tryAcquire(2);
  assert.ok(again !== undefined);
  again[Symbol.dispose]();
});
