/**
 * Channel throughput, worker → main thread, all in one run so the ratios are fair:
 * - raw `postMessage` (the baseline) of numbers and of ~100-byte objects (one with a small
 *   array inside, one flat);
 * - a raw SharedArrayBuffer SPSC ring of Int32 (the ceiling for shared-memory messaging);
 * - fearless `channel<number>` and `channel<{...~100 bytes}>`;
 * - the `multithreading` package's channel, when it loads (fewer messages: it is much slower).
 *
 * This module is also the producer worker: started with `workerData.channelBench`, it runs the
 * producing side of one case instead of the suite.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { channel, move, spawn, syncChannel, type Receiver } from '../../src/index.js';

import { median, printTable, type Row } from '../lib.js';
import { loadPeer } from '../peer.js';

type Case = 'post-number' | 'post-object' | 'post-flat' | 'ring-number' | 'channel-number' | 'channel-number-recvsync' | 'channel-object' | 'channel-flat' | 'sync-number';

interface WorkerData {
  readonly channelBench: Case;
  readonly count: number;
  readonly ring?: SharedArrayBuffer;
}

type Sample = { id: number; name: string; value: number; unit: string; ok: boolean; tags: string[] };

/** ~100 bytes as JSON: a typical small record. */
function sampleObject(index: number): Sample {
  return { id: index, name: 'sensor-0042', value: 21.5 + (index % 10), unit: 'celsius', ok: true, tags: ['north', 'roof'] };
}

type Flat = { id: number; name: string; value: number; unit: string; ok: boolean; location: string; seq: number };

/**
 * ~100 bytes as JSON with no array inside. An array costs the encoder most of a record's time:
 * telling its elements from named properties takes `Object.keys`, which V8 runs off its fast
 * path for any object with elements (docs/benchmarks.md).
 */
function flatObject(index: number): Flat {
  return { id: index, name: 'sensor-0042', value: 21.5 + (index % 10), unit: 'celsius', ok: true, location: 'north roof', seq: index * 3 };
}

/** Messages per run: enough that a fresh worker's JIT warm-up is a small part of the time. */
const NUMBERS = 1_000_000;
const OBJECTS = 300_000;
const PEER_COUNT = 20_000;
const RING_SLOTS = 1 << 14;

// --- producer side (worker) ---

function produce(data: WorkerData): void {
  const port = parentPort!;
  switch (data.channelBench) {
    case 'post-number':
      for (let index = 0; index < data.count; index++) port.postMessage(index);
      break;
    case 'post-object':
      for (let index = 0; index < data.count; index++) port.postMessage(sampleObject(index));
      break;
    case 'post-flat':
      for (let index = 0; index < data.count; index++) port.postMessage(flatObject(index));
      break;
    case 'ring-number': {
      // [0] head (consumer), [1] tail (producer), then RING_SLOTS values.
      const ring = new Int32Array(data.ring!);
      for (let index = 0; index < data.count; index++) {
        const tail = ring[1]!;
        for (let head = Atomics.load(ring, 0); tail - head >= RING_SLOTS; head = Atomics.load(ring, 0)) {
          // Full: woken by the consumer's notify after it advances the head (1 ms cap in case it
          // advanced between our load and this wait).
          Atomics.wait(ring, 0, head, 1);
        }
        ring[2 + (tail & (RING_SLOTS - 1))] = index;
        Atomics.store(ring, 1, tail + 1);
      }
      break;
    }
  }
}

if (!isMainThread && (workerData as Partial<WorkerData> | null)?.channelBench !== undefined) {
  // Start-up (module loading) is not part of the measurement: say ready, produce on 'go'.
  parentPort!.once('message', () => produce(workerData as WorkerData));
  parentPort!.postMessage('ready');
}

// --- consumer side (main thread) ---

const self = fileURLToPath(import.meta.url);

/** Starts a producer and resolves once it is loaded; `go()` starts the clock and the producer. */
async function startProducer(data: WorkerData): Promise<{ worker: Worker; go: () => bigint }> {
  const worker = new Worker(self, { workerData: data });
  await new Promise((resolve) => worker.once('message', resolve));
  return {
    worker,
    go: () => {
      const start = process.hrtime.bigint();
      worker.postMessage('go');
      return start;
    },
  };
}

function elapsedSeconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function postMessageCase(kind: 'post-number' | 'post-object' | 'post-flat'): Promise<number> {
  const count = kind === 'post-number' ? NUMBERS : OBJECTS;
  const { worker, go } = await startProducer({ channelBench: kind, count });
  let received = 0;
  const start = go();
  await new Promise<void>((resolve) => {
    worker.on('message', () => {
      if (++received === count) resolve();
    });
  });
  const rate = count / elapsedSeconds(start);
  await worker.terminate();
  return rate;
}

async function ringCase(): Promise<number> {
  const buffer = new SharedArrayBuffer((2 + RING_SLOTS) * 4);
  const ring = new Int32Array(buffer);
  const { worker, go } = await startProducer({ channelBench: 'ring-number', count: NUMBERS, ring: buffer });
  const start = go();
  let received = 0;
  let sum = 0;
  while (received < NUMBERS) {
    const head = ring[0]!;
    const tail = Atomics.load(ring, 1);
    if (tail === head) {
      // Empty: let the event loop run, as an async consumer would.
      await new Promise((resolve) => setImmediate(resolve));
      continue;
    }
    for (let at = head; at !== tail; at++) sum += ring[2 + (at & (RING_SLOTS - 1))]!;
    received += tail - head;
    Atomics.store(ring, 0, tail);
    // Wakes the producer if it sleeps on a full ring.
    Atomics.notify(ring, 0);
  }
  const rate = NUMBERS / elapsedSeconds(start);
  if (Number.isNaN(sum)) console.log(sum);
  await worker.terminate();
  return rate;
}

async function channelCase(kind: 'channel-number' | 'channel-number-recvsync' | 'channel-object' | 'channel-flat' | 'sync-number'): Promise<number> {
  const count = kind === 'channel-object' || kind === 'channel-flat' ? OBJECTS : NUMBERS;
  // The producer runs as users run one: a spawned thread (the pool is warm after measure()'s
  // first run, so starting it costs tens of µs against seconds of sending).
  let start: bigint;
  let producer: { join(): Promise<unknown> };
  let received: number;
  if (kind === 'sync-number') {
    const [tx, rx] = syncChannel<number>(1024);
    start = process.hrtime.bigint();
    producer = spawn(move(tx, count), (tx, count) => {
      for (let index = 0; index < count; index++) tx.sendSync(index);
    });
    received = await drain(rx);
  } else if (kind === 'channel-number' || kind === 'channel-number-recvsync') {
    const [tx, rx] = channel<number>();
    start = process.hrtime.bigint();
    producer = spawn(move(tx, count), (tx, count) => {
      for (let index = 0; index < count; index++) tx.send(index);
    });
    received = kind === 'channel-number' ? await drain(rx) : drainSync(rx);
  } else if (kind === 'channel-flat') {
    const [tx, rx] = channel<Flat>();
    start = process.hrtime.bigint();
    producer = spawn(move(tx, count), (tx, count) => {
      // The same shape as flatObject(), written inline: the closure runs in a worker.
      for (let index = 0; index < count; index++) {
        tx.send({ id: index, name: 'sensor-0042', value: 21.5 + (index % 10), unit: 'celsius', ok: true, location: 'north roof', seq: index * 3 });
      }
    });
    received = await drain(rx);
  } else {
    const [tx, rx] = channel<Sample>();
    start = process.hrtime.bigint();
    producer = spawn(move(tx, count), (tx, count) => {
      // The same ~100-byte shape as sampleObject(), written inline: the closure runs in a worker.
      for (let index = 0; index < count; index++) {
        tx.send({ id: index, name: 'sensor-0042', value: 21.5 + (index % 10), unit: 'celsius', ok: true, tags: ['north', 'roof'] });
      }
    });
    received = await drain(rx);
  }
  const rate = count / elapsedSeconds(start);
  await producer.join();
  if (received !== count) throw new Error(`channel bench: received ${received} of ${count}`);
  return rate;
}

/** The idiomatic fast consumer: take what is there, sleep (async) only when the queue is empty. */
async function drain(rx: Receiver<unknown>): Promise<number> {
  let received = 0;
  for (;;) {
    for (const _ of rx.tryIter()) received++;
    try {
      await rx.recv();
      received++;
    } catch {
      return received;
    }
  }
}

/** The blocking consumer (issue 25's figure): recvSync until the stream ends; it blocks the main thread meanwhile. */
function drainSync(rx: Receiver<unknown>): number {
  let received = 0;
  for (;;) {
    try {
      rx.recvSync();
    } catch {
      return received;
    }
    received++;
  }
}

/** The cases take turns, one run each per round, after one warm-up run each: the median of each. */
async function alternate(cases: Record<string, () => Promise<number>>, rounds = 5): Promise<Record<string, number>> {
  const rates: Record<string, number[]> = {};
  for (const [name, run] of Object.entries(cases)) {
    rates[name] = [];
    await run();
  }
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of Object.entries(cases)) rates[name]!.push(await run());
  }
  return Object.fromEntries(Object.entries(rates).map(([name, values]) => [name, median(values)]));
}

async function measure(run: () => Promise<number>, repetitions = 5): Promise<number> {
  await run();
  const rates: number[] = [];
  for (let index = 0; index < repetitions; index++) rates.push(await run());
  return median(rates);
}

// --- the `multithreading` peer (bench/peer.ts loads it; skipped with a note when it does not load) ---

interface PeerChannel {
  channel(capacity: number): [unknown, AsyncIterable<unknown>];
  move(...values: unknown[]): unknown;
  spawn(moved: unknown, fn: (tx: { send(value: unknown): Promise<unknown> }, count: number, objects: boolean) => Promise<void>): { join(): Promise<unknown> };
  shutdown(): void;
}

async function peerCase(peer: PeerChannel, count: number, objects: boolean): Promise<number> {
  const start = process.hrtime.bigint();
  const [tx, rx] = peer.channel(objects ? 32 : 1024);
  const producer = peer.spawn(peer.move(tx, count, objects), async (tx, count, objects) => {
    for (let index = 0; index < count; index++) {
      await tx.send(objects ? { id: index, name: 'sensor-0042', value: 21.5 + (index % 10), unit: 'celsius', ok: true, tags: ['north', 'roof'] } : index);
    }
  });
  let received = 0;
  for await (const _ of rx) if (++received === count) break;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await producer.join();
  return count / seconds;
}

export default async function channels(): Promise<void> {
  const rows: Row[] = [];
  const numbers = 'postMessage number';
  const objects = 'postMessage object (~100 B)';
  // Each figure and its baselines take turns, round by round (alternate()): the load of a
  // shared machine changes between seconds, and must not decide a ratio.
  const numberRates = await alternate({
    post: () => postMessageCase('post-number'),
    ring: ringCase,
    channel: () => channelCase('channel-number'),
    recvSync: () => channelCase('channel-number-recvsync'),
  });
  const channelNumbers = numberRates['channel']!;
  const channelNumbersSync = numberRates['recvSync']!;
  rows.push({ name: numbers, value: numberRates['post']!, unit: 'msg/s', better: 'higher' });
  rows.push({ name: 'raw SAB ring number', value: numberRates['ring']!, unit: 'msg/s', baseline: numbers, better: 'higher', target: '(ceiling)' });
  rows.push({ name: 'fearless channel<number>', value: channelNumbers, unit: 'msg/s', baseline: numbers, better: 'higher', target: '≥ 10×' });
  // The same figure against the ring: how much of the shared-memory ceiling the channel keeps.
  rows.push({ name: 'fearless channel<number> ', value: channelNumbers, unit: 'msg/s', baseline: 'raw SAB ring number', better: 'higher' });
  rows.push({ name: 'fearless channel<number>, recvSync', value: channelNumbersSync, unit: 'msg/s', baseline: numbers, better: 'higher', target: '≥ 20× (issue 25)' });
  rows.push({ name: 'fearless channel<number>, recvSync ', value: channelNumbersSync, unit: 'msg/s', baseline: 'raw SAB ring number', better: 'higher', target: '≥ 0.7× (issue 25)' });
  rows.push({ name: 'fearless syncChannel<number>(1024), sendSync', value: await measure(() => channelCase('sync-number')), unit: 'msg/s', baseline: numbers, better: 'higher' });
  const objectRates = await alternate({ post: () => postMessageCase('post-object'), channel: () => channelCase('channel-object') });
  rows.push({ name: objects, value: objectRates['post']!, unit: 'msg/s', better: 'higher' });
  rows.push({ name: 'fearless channel<object> (~100 B)', value: objectRates['channel']!, unit: 'msg/s', baseline: objects, better: 'higher', target: '≥ 5× (issue 25)' });
  const flat = 'postMessage flat object (~100 B, no array)';
  const flatRates = await alternate({ post: () => postMessageCase('post-flat'), channel: () => channelCase('channel-flat') });
  rows.push({ name: flat, value: flatRates['post']!, unit: 'msg/s', better: 'higher' });
  rows.push({ name: 'fearless channel<flat object> (~100 B, no array)', value: flatRates['channel']!, unit: 'msg/s', baseline: flat, better: 'higher', target: '≥ 5× (issue 25)' });
  // Typed loosely here: only its channel, move and spawn are used.
  const peer = (await loadPeer()) as PeerChannel | undefined;
  if (peer !== undefined) {
    rows.push({ name: 'multithreading channel number', value: await measure(() => peerCase(peer, PEER_COUNT, false), 3), unit: 'msg/s', baseline: numbers, better: 'higher' });
    rows.push({ name: 'multithreading channel object', value: await measure(() => peerCase(peer, PEER_COUNT, true), 3), unit: 'msg/s', baseline: objects, better: 'higher' });
    peer.shutdown();
  }
  printTable(`channels: worker → main throughput (${NUMBERS} numbers, ${OBJECTS} objects; peer ${PEER_COUNT} each), median of 5 alternating rounds`, rows);
}
