/**
 * Workers that die outright (process.exit, an uncaught error in a timer) under the runtime
 * running this script: join rejects, the handles they held are dropped, the pool carries on.
 */
import assert from 'node:assert/strict';
import { Mutex, PoisonError, SendError, ThreadPanic, channel, move, spawn, type MutexGuard } from 'fearless';
import { suite, thrown } from './suite.js';

const check = suite('death');

await check('a worker that calls process.exit rejects its join; the next thread runs', async () => {
  const panic = await thrown(() =>
    spawn(() => {
      process.exit(3);
    }).join(),
  );
  assert.ok(panic instanceof ThreadPanic);
  assert.match((panic.cause as { message: string }).message, /exited with code 3/);
  assert.equal(await spawn(() => 'still working').join(), 'still working');
});

await check('an error thrown later in a timer kills the worker; its join names the error', async () => {
  const panic = await thrown(() =>
    spawn(
      () =>
        new Promise<void>(() => {
          setTimeout(() => {
            throw new Error('thrown in a timer');
          }, 1);
        }),
    ).join(),
  );
  assert.ok(panic instanceof ThreadPanic);
  assert.match((panic.cause as { message: string }).message, /thrown in a timer/);
  assert.equal(await spawn(() => 1).join(), 1);
});

await check('a worker that dies holding senders: what it sent arrives, then the stream ends', async () => {
  const [tx, rx] = channel<number>();
  const keep = tx.clone();
  await assert.rejects(
    spawn(move(tx), (tx) => {
      tx.send(1);
      process.exit(4);
    }).join(),
  );
  keep.send(2);
  keep.close();
  assert.deepEqual([...rx.iterSync()], [1, 2]);
});

await check('a worker that dies holding the receiver makes sends fail with SendError', async () => {
  const [tx, rx] = channel<number>();
  const dying = spawn(move(rx), (rx) => {
    rx.recvSync();
    process.exit(5);
  });
  tx.send(0);
  await assert.rejects(dying.join());
  assert.ok((await thrown(() => tx.send(1))) instanceof SendError);
});

await check('a worker that dies holding a Mutex guard poisons it and releases it', async () => {
  const mutex = new Mutex(1);
  await assert.rejects(
    spawn(move(mutex), (mutex) => {
      const guard = mutex.lockSync();
      guard.value = 2;
      process.exit(6);
    }).join(),
  );
  const poisoned = await thrown(() => mutex.lock());
  assert.ok(poisoned instanceof PoisonError);
  const guard = await (poisoned as PoisonError<Promise<MutexGuard<number>>>).intoInner();
  assert.equal(guard.value, 2);
  guard[Symbol.dispose]();
});
