/**
 * select and multi-consumer channels, each against its own single-channel baseline in the
 * same run:
 * - `select([busy, quiet])` on the main thread against `recv()` on the busy channel alone: what
 *   choosing among receivers costs per message;
 * - `selectSync` in a worker against `recvSync` there;
 * - throughput of one channel drained by 2 and 4 consumer threads on cloned receivers, against
 *   one consumer thread on a never-cloned receiver (the lock-free path).
 * Producers are spawned threads sending numbers as fast as they can.
 */
import { channel, move, select, selectSync, spawn, type Receiver } from 'fearless';
import { median, printTable, type Row } from '../lib.js';

const MESSAGES = 300_000;

function elapsedSeconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function produce(count: number): { rx: Receiver<number>; done: Promise<void> } {
  const [tx, rx] = channel<number>();
  const handle = spawn(move(tx, count), (tx, count) => {
    for (let index = 0; index < count; index++) tx.send(index);
  });
  return { rx, done: handle.join() };
}

/** Main thread, async: one recv() per message. */
async function recvCase(): Promise<number> {
  const start = process.hrtime.bigint();
  const { rx, done } = produce(MESSAGES);
  let received = 0;
  try {
    for (;;) {
      await rx.recv();
      received++;
    }
  } catch {
    // RecvError: the producer finished and the queue is drained.
  }
  const rate = received / elapsedSeconds(start);
  await done;
  return rate;
}

/** Main thread, async: one select([busy, quiet]) per message. */
async function selectCase(): Promise<number> {
  const start = process.hrtime.bigint();
  const { rx, done } = produce(MESSAGES);
  const [quietTx, quiet] = channel<number>();
  let received = 0;
  for (;;) {
    const picked = await select([rx, quiet]);
    if (!picked.ok) break;
    received++;
  }
  const rate = received / elapsedSeconds(start);
  await done;
  quietTx.close();
  return rate;
}

/** In a worker: recvSync, or selectSync over [busy, quiet]. */
async function workerCase(useSelect: boolean): Promise<number> {
  const start = process.hrtime.bigint();
  const { rx, done } = produce(MESSAGES);
  const [quietTx, quiet] = channel<number>();
  const consumer = spawn(move(rx, quiet, useSelect), (rx, quiet, useSelect) => {
    let received = 0;
    if (useSelect) {
      for (;;) {
        const picked = selectSync([rx, quiet]);
        if (!picked.ok) return received;
        received++;
      }
    }
    for (const _ of rx.iterSync()) received++;
    return received;
  });
  const received = await consumer.join();
  const rate = received / elapsedSeconds(start);
  await done;
  quietTx.close();
  return rate;
}

/** `consumers` threads draining one channel (clones of its receiver when more than one). */
async function consumersCase(consumers: number): Promise<number> {
  const start = process.hrtime.bigint();
  const { rx, done } = produce(MESSAGES);
  const receivers = [rx, ...Array.from({ length: consumers - 1 }, () => rx.clone())];
  const handles = receivers.map((receiver) =>
    spawn(move(receiver), (receiver) => {
      let received = 0;
      for (const _ of receiver.iterSync()) received++;
      return received;
    }),
  );
  const received = (await Promise.all(handles.map((handle) => handle.join()))).reduce((a, b) => a + b, 0);
  const rate = received / elapsedSeconds(start);
  await done;
  if (received !== MESSAGES) throw new Error(`select bench: ${consumers} consumers received ${received} of ${MESSAGES}`);
  return rate;
}

async function measure(run: () => Promise<number>, repetitions = 5): Promise<number> {
  await run();
  const rates: number[] = [];
  for (let index = 0; index < repetitions; index++) rates.push(await run());
  return median(rates);
}

export default async function selectSuite(): Promise<void> {
  const rows: Row[] = [];
  rows.push({ name: 'main: recv() on one channel', value: await measure(recvCase), unit: 'msg/s' });
  rows.push({ name: 'main: select([busy, quiet])', value: await measure(selectCase), unit: 'msg/s', baseline: 'main: recv() on one channel', better: 'higher' });
  rows.push({ name: 'worker: recvSync (iterSync) on one channel', value: await measure(() => workerCase(false)), unit: 'msg/s' });
  rows.push({ name: 'worker: selectSync([busy, quiet])', value: await measure(() => workerCase(true)), unit: 'msg/s', baseline: 'worker: recvSync (iterSync) on one channel', better: 'higher' });
  rows.push({ name: '1 consumer thread (never cloned)', value: await measure(() => consumersCase(1)), unit: 'msg/s' });
  rows.push({ name: '2 consumer threads, cloned receivers', value: await measure(() => consumersCase(2)), unit: 'msg/s', baseline: '1 consumer thread (never cloned)', better: 'higher' });
  rows.push({ name: '4 consumer threads, cloned receivers', value: await measure(() => consumersCase(4)), unit: 'msg/s', baseline: '1 consumer thread (never cloned)', better: 'higher' });
  printTable(`select and multi-consumer channels (${MESSAGES} numbers per run, a producer thread), median of 5`, rows);
}
