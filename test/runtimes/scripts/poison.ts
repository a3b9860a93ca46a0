/**
 * Panics under the runtime running this script: join rejects with ThreadPanic carrying the
 * thread's error, and a lock held by the panicking thread is poisoned, still reachable.
 */
import assert from 'node:assert/strict';
import { Mutex, PoisonError, RwLock, ThreadPanic, move, spawn, type MutexGuard } from 'fearless';
import { suite, thrown } from './suite.js';

const check = suite('poison');

await check('a throw in a thread rejects join() with ThreadPanic; other threads carry on', async () => {
  const failing = spawn(() => {
    throw new TypeError('bad input');
  });
  const fine = spawn(() => 'fine');
  const panic = await thrown(() => failing.join());
  assert.ok(panic instanceof ThreadPanic);
  assert.equal(panic.code, 'FEARLESS_THREAD_PANIC');
  assert.equal((panic.cause as { name: string }).name, 'TypeError');
  assert.equal((panic.cause as { message: string }).message, 'bad input');
  assert.equal(await fine.join(), 'fine');
});

await check('a thread that panics holding a Mutex guard poisons it; the data stays reachable', async () => {
  const mutex = new Mutex(0);
  const failing = spawn(move(mutex), (mutex) => {
    const guard = mutex.lockSync();
    guard.value = 7;
    throw new Error('panicked mid-update');
  });
  await assert.rejects(failing.join(), ThreadPanic);
  assert.equal(mutex.isPoisoned, true);
  const poisoned = await thrown(() => mutex.lock());
  assert.ok(poisoned instanceof PoisonError);
  assert.equal(poisoned.code, 'FEARLESS_POISONED');
  // The lock was released with the error; intoInner() takes it anyway (Rust's into_inner).
  const guard = await (poisoned as PoisonError<Promise<MutexGuard<number>>>).intoInner();
  assert.equal(guard.value, 7);
  guard[Symbol.dispose]();
  mutex.clearPoison();
  using again = mutex.lockSync();
  assert.equal(again.value, 7);
});

await check('a guard released before the panic leaves the Mutex unpoisoned', async () => {
  const mutex = new Mutex('before');
  const failing = spawn(move(mutex), async (mutex) => {
    {
      using guard = mutex.lockSync();
      guard.value = 'after';
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
    throw new Error('panicked after an await');
  });
  await assert.rejects(failing.join(), /panicked after an await/);
  assert.equal(mutex.isPoisoned, false);
  using guard = await mutex.lock();
  assert.equal(guard.value, 'after');
});

await check('a writer that panics poisons an RwLock for readers and writers', async () => {
  const lock = new RwLock([1, 2, 3]);
  await assert.rejects(
    spawn(move(lock), (lock) => {
      const guard = lock.writeSync();
      guard.value = [];
      throw new Error('writer panicked');
    }).join(),
    ThreadPanic,
  );
  assert.equal(lock.isPoisoned, true);
  assert.ok((await thrown(() => lock.readSync())) instanceof PoisonError);
  assert.ok((await thrown(() => lock.write())) instanceof PoisonError);
  lock.clearPoison();
  using guard = await lock.read();
  assert.deepEqual(guard.value, []);
});
