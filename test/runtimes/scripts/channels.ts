/**
 * Channels of every kind under the runtime running this script: unbounded, bounded and
 * rendezvous, received with `await` on the main thread and with blocking calls in workers.
 */
import assert from 'node:assert/strict';
import { channel, move, RecvError, RecvTimeoutError, SendError, spawn, syncChannel } from 'fearless';
import { suite, thrown } from './suite.js';

const check = suite('channels');

await check('unbounded: three cloned senders in workers, async iteration on main ends when all are gone', async () => {
  const [tx, rx] = channel<[number, number]>();
  const producers = [0, 1, 2].map((id) =>
    spawn(move(tx.clone(), id), (tx, id) => {
      for (let index = 0; index < 500; index++) tx.send([id, index]);
    }),
  );
  tx.close();
  const next = [0, 0, 0];
  for await (const [id, index] of rx) {
    assert.equal(index, next[id], `thread ${id} kept its order`);
    next[id]! += 1;
  }
  assert.deepEqual(next, [500, 500, 500]);
  await Promise.all(producers.map((handle) => handle.join()));
});

await check('unbounded: a worker blocks in recvSync and iterSync on what main sends', async () => {
  const [tx, rx] = channel<{ text: string; bytes: Uint8Array }>();
  const consumer = spawn(move(rx), (rx) => {
    const first = rx.recvSync();
    let total = first.bytes.length;
    for (const message of rx.iterSync()) total += message.bytes.length + message.text.length;
    return { first: first.text, total };
  });
  tx.send({ text: 'hello', bytes: new Uint8Array([1, 2, 3]) });
  for (let index = 0; index < 100; index++) tx.send({ text: 'ab', bytes: new Uint8Array(10) });
  tx.close();
  assert.deepEqual(await consumer.join(), { first: 'hello', total: 3 + 100 * 12 });
});

await check('unbounded: worker to worker, and a sender sent over another channel', async () => {
  const [tx, rx] = channel<number>();
  const [handOff, handed] = channel<typeof tx>();
  const consumer = spawn(move(rx), (rx) => {
    let sum = 0;
    for (const value of rx.iterSync()) sum += value;
    return sum;
  });
  const producer = spawn(move(handed), (handed) => {
    const tx = handed.recvSync();
    for (let value = 1; value <= 1000; value++) tx.send(value);
  });
  handOff.send(tx);
  handOff.close();
  await producer.join();
  assert.equal(await consumer.join(), 500_500);
});

await check('unbounded: tryRecv, recvTimeout and RecvError follow the senders', async () => {
  const [tx, rx] = channel<string>();
  assert.deepEqual(rx.tryRecv(), { ok: false, disconnected: false });
  const timeout = await thrown(() => rx.recvTimeout(20));
  assert.ok(timeout instanceof RecvTimeoutError);
  assert.equal(timeout.disconnected, false);
  await spawn(move(tx), (tx) => tx.send('last words')).join();
  assert.deepEqual(rx.tryRecv(), { ok: true, value: 'last words' });
  const ended = await thrown(() => rx.recv());
  assert.ok(ended instanceof RecvError);
  assert.equal(ended.code, 'FEARLESS_RECV');
});

await check('unbounded: send fails with SendError, keeping the value, once the receiver is gone', async () => {
  const [tx, rx] = channel<number[]>();
  await spawn(move(rx), (rx) => rx.close()).join();
  const error = await thrown(() => tx.send([1, 2]));
  assert.ok(error instanceof SendError);
  assert.deepEqual(error.value, [1, 2]);
});

await check('bounded: a worker blocks in sendSync while full; main receives with await', async () => {
  const [tx, rx] = syncChannel<number>(2);
  const producer = spawn(move(tx), (tx) => {
    for (let value = 0; value < 300; value++) tx.sendSync(value);
  });
  const received: number[] = [];
  for await (const value of rx) received.push(value);
  assert.deepEqual(received, Array.from({ length: 300 }, (_, index) => index));
  await producer.join();
});

await check('bounded: main waits for room with await send(); trySend says false when full', async () => {
  const [tx, rx] = syncChannel<number>(1);
  assert.equal(tx.trySend(1), true);
  assert.equal(tx.trySend(2), false);
  const consumer = spawn(move(rx), (rx) => [...rx.iterSync()]);
  for (let value = 2; value <= 50; value++) await tx.send(value);
  tx.close();
  assert.deepEqual(await consumer.join(), Array.from({ length: 50 }, (_, index) => index + 1));
});

await check('rendezvous: sendSync in a worker hands over only when main receives', async () => {
  const [tx, rx] = syncChannel<string>(0);
  const [doneTx, doneRx] = channel<string>();
  const producer = spawn(move(tx, doneTx), (tx, doneTx) => {
    for (const word of ['one', 'two', 'three']) {
      tx.sendSync(word);
      doneTx.send(`handed ${word}`);
    }
  });
  assert.equal(await rx.recv(), 'one');
  assert.equal(await doneRx.recv(), 'handed one');
  // The worker is now blocked handing over 'two': nothing can be queued without a receive.
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(doneRx.tryRecv(), { ok: false, disconnected: false });
  assert.deepEqual([await rx.recv(), await rx.recv()], ['two', 'three']);
  await producer.join();
  assert.deepEqual([...doneRx.iterSync()], ['handed two', 'handed three']);
});

await check('rendezvous: main sends with await to a worker in recvSync, both ways', async () => {
  const [toWorker, fromMain] = syncChannel<number>(0);
  const [toMain, fromWorker] = syncChannel<number>(0);
  const echo = spawn(move(fromMain, toMain), (fromMain, toMain) => {
    for (const value of fromMain.iterSync()) toMain.sendSync(value * 2);
  });
  for (let value = 1; value <= 20; value++) {
    await toWorker.send(value);
    assert.equal(await fromWorker.recv(), value * 2);
  }
  toWorker.close();
  await echo.join();
  await assert.rejects(fromWorker.recv(), RecvError);
});

await check('values keep their shape across threads; a moved ArrayBuffer is detached here', async () => {
  const [tx, rx] = channel<{ map: Map<string, number[]>; set: Set<string>; date: Date; big: bigint; error: Error; bytes: Uint8Array }>();
  const bytes = new Uint8Array([5, 6, 7]).buffer;
  const echo = spawn(move(tx, bytes), (tx, bytes) => {
    tx.send({
      map: new Map([['k', [1, 2]]]),
      set: new Set(['a']),
      date: new Date(86_400_000),
      big: 2n ** 70n,
      error: new RangeError('out'),
      bytes: new Uint8Array(bytes),
    });
  });
  assert.equal(bytes.byteLength, 0, 'the moved buffer is detached on the sending side');
  const value = await rx.recv();
  await echo.join();
  assert.deepEqual(value.map, new Map([['k', [1, 2]]]));
  assert.deepEqual(value.set, new Set(['a']));
  assert.equal(value.date.getTime(), 86_400_000);
  assert.equal(value.big, 2n ** 70n);
  assert.ok(value.error instanceof RangeError && value.error.message === 'out');
  assert.deepEqual([...value.bytes], [5, 6, 7]);
});

await check('messages parked in the hub arrive every time while main awaits them (100 round trips)', async () => {
  // Each reply holds an ArrayBuffer to transfer, so it is parked in the hub; main awaits it with
  // its event loop running, the case where Deno used to take the stash for a later event.
  const [askTx, askRx] = channel<number>();
  const [replyTx, replyRx] = channel<{ round: number; bytes: Uint8Array }>();
  const server = spawn(move(askRx, replyTx), (askRx, replyTx) => {
    for (const round of askRx.iterSync()) replyTx.send({ round, bytes: new Uint8Array([round & 0xff, 1, 2]) });
  });
  for (let round = 0; round < 100; round++) {
    askTx.send(round);
    const reply = await replyRx.recv();
    assert.equal(reply.round, round);
    assert.deepEqual([...reply.bytes], [round & 0xff, 1, 2]);
  }
  askTx.close();
  await server.join();
});
