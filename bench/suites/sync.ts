/**
 * Shared state: fearless Mutex and atomics against the raw platform (a futex-style mutex
 * written directly on Atomics, raw Atomics.add) and against the `multithreading` package, all
 * in the same run.
 *
 * This file is also its own worker: started with `workerData.role`, it runs one side of a
 * 2-thread contended case, round after round, each round released by the main thread bumping a
 * shared start word.
 */
import { once } from 'node:events';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { AtomicI32, Mutex, move, spawn, type JoinHandle } from 'fearless';
import { setThreadContext } from '../../src/wire/context.js';
import { describe, reviveHandle, type Handle, type HandleDescriptor } from '../../src/wire/handle.js';
import { median, opsPerSecond, printTable, type Row } from '../lib.js';
import { loadPeer } from '../peer.js';

// --- the raw baseline: Drepper's futex mutex ("mutex2": 0 free, 1 locked, 2 contended) ---

function rawLock(word: Int32Array): void {
  let state = Atomics.compareExchange(word, 0, 0, 1);
  if (state === 0) return;
  if (state !== 2) state = Atomics.exchange(word, 0, 2);
  while (state !== 0) {
    // Woken by rawUnlock's notify.
    Atomics.wait(word, 0, 2);
    state = Atomics.exchange(word, 0, 2);
  }
}

function rawUnlock(word: Int32Array): void {
  if (Atomics.sub(word, 0, 1) !== 1) {
    Atomics.store(word, 0, 0);
    // Wakes one thread sleeping in rawLock.
    Atomics.notify(word, 0, 1);
  }
}

/**
 * The raw lock behind `using`: what tsc's lowering of a `using` block costs a lock with nothing
 * else of fearless in it (a guard object per block, released by its dispose). The floor for
 * the `using` rows: Mutex with `using` cannot be faster than this.
 */
class RawGuard {
  constructor(readonly word: Int32Array) {
    rawLock(word);
  }

  [Symbol.dispose](): void {
    rawUnlock(this.word);
  }
}

// --- worker side ---

type Role = 'raw-mutex' | 'raw-mutex-using' | 'fearless-lockSync' | 'fearless-lock' | 'raw-add' | 'fearless-fetchAdd';

interface Job {
  readonly role: Role;
  readonly slot: number;
  readonly iterations: number;
  readonly start: SharedArrayBuffer;
  /** Raw cases: the shared Int32 words. Fearless cases: the handle's descriptor. */
  readonly raw?: SharedArrayBuffer;
  readonly handle?: HandleDescriptor;
}

async function runRole(job: Job): Promise<void> {
  const iterations = job.iterations;
  const raw = job.raw === undefined ? undefined : new Int32Array(job.raw);
  const handle = job.handle === undefined ? undefined : reviveHandle(job.handle);
  const round = (): void | Promise<void> => {
    switch (job.role) {
      case 'raw-mutex':
        for (let index = 0; index < iterations; index++) {
          rawLock(raw!);
          raw![1]!++;
          rawUnlock(raw!);
        }
        return;
      case 'raw-mutex-using':
        for (let index = 0; index < iterations; index++) {
          using _guard = new RawGuard(raw!);
          raw![1]!++;
        }
        return;
      case 'fearless-lockSync': {
        // Released explicitly, as the raw case does; the uncontended rows show what `using` adds.
        const mutex = handle as Mutex<number>;
        for (let index = 0; index < iterations; index++) {
          const guard = mutex.lockSync();
          guard.value++;
          guard[Symbol.dispose]();
        }
        return;
      }
      case 'fearless-lock':
        return (async () => {
          const mutex = handle as Mutex<number>;
          for (let index = 0; index < iterations; index++) {
            using guard = await mutex.lock();
            guard.value++;
          }
        })();
      case 'raw-add':
        for (let index = 0; index < iterations; index++) Atomics.add(raw!, 0, 1);
        return;
      case 'fearless-fetchAdd': {
        const atomic = handle as AtomicI32;
        for (let index = 0; index < iterations; index++) atomic.fetchAdd(1);
        return;
      }
    }
  };
  const start = new Int32Array(job.start);
  for (let seen = 0; ; seen++) {
    // Woken by the main thread's notify when it starts the next round.
    while (Atomics.load(start, 0) === seen) Atomics.wait(start, 0, seen);
    await round();
    parentPort?.postMessage('done');
  }
}

// --- main side ---

/** One contended case, run round by round: each round gives its ops/s. */
interface Harness {
  round(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Two raw workers running `role` together, each round released by the main thread bumping a
 * shared start word. Their thread slots are far above the pool's (which counts from 1), since
 * pool workers run in the same process while these wait between rounds.
 */
function contended(role: Role, shared: { raw?: SharedArrayBuffer; handle?: Handle }, iterations: number): Harness {
  const start = new Int32Array(new SharedArrayBuffer(4));
  const workers = [1001, 1002].map((slot) => {
    const job: Job = {
      role,
      slot,
      iterations,
      start: start.buffer,
      ...(shared.raw === undefined ? {} : { raw: shared.raw }),
      ...(shared.handle === undefined ? {} : { handle: shared.handle[describe]() }),
    };
    return new Worker(new URL(import.meta.url), { workerData: job });
  });
  let round = 0;
  return {
    async round() {
      const finished = Promise.all(workers.map((worker) => once(worker, 'message')));
      const began = process.hrtime.bigint();
      Atomics.store(start, 0, ++round);
      // Wakes both workers waiting for this round.
      Atomics.notify(start, 0);
      await finished;
      return (2 * iterations) / (Number(process.hrtime.bigint() - began) / 1e9);
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}

/** Two spawned tasks per round (`start` spawns them), each running the same loop. */
function spawned(iterations: number, start: () => Array<JoinHandle<void>>): Harness {
  return {
    async round() {
      const began = process.hrtime.bigint();
      await Promise.all(start().map((handle) => handle.join()));
      return (2 * iterations) / (Number(process.hrtime.bigint() - began) / 1e9);
    },
    async close() {},
  };
}

/**
 * The cases take turns, round by round, after `warmup` rounds each: on a shared machine the load
 * changes between seconds, and a baseline measured before its subject let that decide the
 * ratio. The median of each case's rounds.
 */
async function alternate(harnesses: Record<string, Harness>, rounds = 7, warmup = 2): Promise<Record<string, number>> {
  const rates: Record<string, number[]> = {};
  for (const [name, harness] of Object.entries(harnesses)) {
    rates[name] = [];
    for (let index = 0; index < warmup; index++) await harness.round();
  }
  for (let index = 0; index < rounds; index++) {
    for (const [name, harness] of Object.entries(harnesses)) rates[name]!.push(await harness.round());
  }
  await Promise.all(Object.values(harnesses).map((harness) => harness.close()));
  return Object.fromEntries(Object.entries(rates).map(([name, values]) => [name, median(values)]));
}

/** The raw case's workload on the real API: lock, `value++`, unlock (an explicit dispose). */
function explicitLockSync(mutex: Mutex<number>, count: number): void {
  for (let index = 0; index < count; index++) {
    const guard = mutex.lockSync();
    guard.value++;
    guard[Symbol.dispose]();
  }
}

/** The same with `using guard = mutex.lockSync()`, as tsc lowers it for Node 20. */
function usingLockSync(mutex: Mutex<number>, count: number): void {
  for (let index = 0; index < count; index++) {
    using guard = mutex.lockSync();
    guard.value++;
  }
}

/** The peer's workload, on fearless: `await lock()`, `value[0]++` on an Int32Array. */
async function asyncTyped(shared: Mutex<Int32Array>, count: number): Promise<void> {
  for (let index = 0; index < count; index++) {
    const guard = await shared.lock();
    try {
      guard.value[0]!++;
    } finally {
      guard[Symbol.dispose]();
    }
  }
}

async function peerContended(peer: typeof import('multithreading'), iterations: number, rounds = 5): Promise<number> {
  const mutex = new peer.Mutex(new Int32Array(new SharedArrayBuffer(4)));
  const rates: number[] = [];
  for (let round = 0; round <= rounds; round++) {
    const began = process.hrtime.bigint();
    const handles = [0, 1].map(() =>
      peer.spawn(peer.move(mutex, iterations), async (shared, count) => {
        for (let index = 0; index < count; index++) {
          const guard = await shared.lock();
          try {
            guard.value[0]!++;
          } finally {
            guard.dispose();
          }
        }
      }),
    );
    await Promise.all(handles.map((handle) => handle.join()));
    const seconds = Number(process.hrtime.bigint() - began) / 1e9;
    if (round > 0) rates.push((2 * iterations) / seconds);
  }
  return median(rates);
}

export default async function syncSuite(): Promise<void> {
  const single = 2_000_000;
  const rawWord = new Int32Array(new SharedArrayBuffer(8));
  const mutex = new Mutex(0);
  const uncontendedRaw = await opsPerSecond(single, () => {
    for (let index = 0; index < single; index++) {
      rawLock(rawWord);
      rawUnlock(rawWord);
    }
  });
  // The lock itself, as the raw baseline measures it: take, release.
  const uncontendedFearless = await opsPerSecond(single, () => {
    for (let index = 0; index < single; index++) mutex.lockSync()[Symbol.dispose]();
  });
  // What `using` adds on Node 20, where tsc lowers it to helper calls.
  const uncontendedUsing = await opsPerSecond(single, () => {
    for (let index = 0; index < single; index++) {
      using _guard = mutex.lockSync();
    }
  });
  const uncontendedRawUsing = await opsPerSecond(single, () => {
    for (let index = 0; index < single; index++) {
      using _guard = new RawGuard(rawWord);
    }
  });
  const uncontendedIncrement = await opsPerSecond(single, () => {
    for (let index = 0; index < single; index++) {
      const guard = mutex.lockSync();
      guard.value++;
      guard[Symbol.dispose]();
    }
  });

  // Long enough rounds that both threads really overlap on a loaded machine.
  const threaded = 1_000_000;
  const counter = new Mutex(0);
  const typed = new Mutex(new Int32Array(new SharedArrayBuffer(4)));
  const contendedRates = await alternate({
    raw: contended('raw-mutex', { raw: new SharedArrayBuffer(8) }, threaded),
    rawUsing: contended('raw-mutex-using', { raw: new SharedArrayBuffer(8) }, threaded),
    lockSync: contended('fearless-lockSync', { handle: new Mutex(0) }, threaded),
    spawnExplicit: spawned(threaded, () => [0, 1].map(() => spawn(move(counter, threaded), explicitLockSync))),
    spawnUsing: spawned(threaded, () => [0, 1].map(() => spawn(move(counter, threaded), usingLockSync))),
  });
  const contendedSpawnExplicit = contendedRates['spawnExplicit']!;
  const contendedRaw = contendedRates['raw']!;
  const contendedSync = contendedRates['lockSync']!;
  const contendedSpawn = contendedRates['spawnUsing']!;
  const contendedRawUsing = contendedRates['rawUsing']!;
  const asyncRates = await alternate({
    async: contended('fearless-lock', { handle: new Mutex(0) }, threaded / 10),
    spawnAsyncTyped: spawned(threaded / 10, () => [0, 1].map(() => spawn(move(typed, threaded / 10), asyncTyped))),
  });
  const contendedAsync = asyncRates['async']!;
  const contendedAsyncTyped = asyncRates['spawnAsyncTyped']!;

  const atomic = new AtomicI32(0);
  const addRaw = await opsPerSecond(single, () => {
    for (let index = 0; index < single; index++) Atomics.add(rawWord, 1, 1);
  });
  const addFearless = await opsPerSecond(single, () => {
    for (let index = 0; index < single; index++) atomic.fetchAdd(1);
  });
  const addRates = await alternate({
    raw: contended('raw-add', { raw: new SharedArrayBuffer(4) }, threaded * 2),
    fearless: contended('fearless-fetchAdd', { handle: new AtomicI32(0) }, threaded * 2),
  });
  const addRawThreads = addRates['raw']!;
  const addFearlessThreads = addRates['fearless']!;

  // The peer's rows read NaN if it cannot be loaded.
  const peer = await loadPeer();
  let uncontendedPeer = Number.NaN;
  let contendedPeer = Number.NaN;
  if (peer !== undefined) {
    const peerMutex = new peer.Mutex(new Int32Array(new SharedArrayBuffer(4)));
    // The peer's uncontended lock is ~100× slower: fewer iterations keep the run short.
    const peerSingle = single / 20;
    uncontendedPeer = await opsPerSecond(peerSingle, () => {
      for (let index = 0; index < peerSingle; index++) peerMutex.blockingLock().dispose();
    });
    contendedPeer = await peerContended(peer, threaded / 10);
    // Its workers would otherwise keep `npm run bench -- sync` from exiting.
    peer.shutdown();
  }

  const rows: Row[] = [
    { name: 'uncontended: raw futex lock+unlock', value: uncontendedRaw, unit: 'ops/s' },
    { name: 'uncontended: Mutex lockSync+dispose', value: uncontendedFearless, unit: 'ops/s', baseline: 'uncontended: raw futex lock+unlock', better: 'higher', target: '≥ 0.5×' },
    { name: 'uncontended: Mutex with `using` (tsc-lowered)', value: uncontendedUsing, unit: 'ops/s', baseline: 'uncontended: raw futex lock+unlock', better: 'higher' },
    { name: 'uncontended: raw futex with `using` (tsc-lowered floor)', value: uncontendedRawUsing, unit: 'ops/s', baseline: 'uncontended: raw futex lock+unlock', better: 'higher' },
    { name: 'uncontended: Mutex with `using` vs the floor', value: uncontendedUsing, unit: 'ops/s', baseline: 'uncontended: raw futex with `using` (tsc-lowered floor)', better: 'higher' },
    { name: 'uncontended: Mutex lockSync, value++', value: uncontendedIncrement, unit: 'ops/s', baseline: 'uncontended: raw futex lock+unlock', better: 'higher' },
    { name: 'uncontended: multithreading blockingLock+dispose', value: uncontendedPeer, unit: 'ops/s', baseline: 'uncontended: Mutex lockSync+dispose', better: 'lower' },
    { name: '2 threads: raw futex, counter++', value: contendedRaw, unit: 'ops/s' },
    { name: '2 threads: Mutex lockSync, value++', value: contendedSync, unit: 'ops/s', baseline: '2 threads: raw futex, counter++', better: 'higher', target: '≥ 0.5×' },
    { name: '2 threads: spawn, Mutex lockSync, value++, dispose', value: contendedSpawnExplicit, unit: 'ops/s', baseline: '2 threads: raw futex, counter++', better: 'higher', target: '≥ 0.5× (issue 15)' },
    // The same with `using`: tsc's lowering for Node 20 makes two objects per block in the
    // closure's own code (README "Benchmarks"), a cost beside the lock's.
    { name: '2 threads: spawn, `using` Mutex lockSync, value++', value: contendedSpawn, unit: 'ops/s', baseline: '2 threads: raw futex, counter++', better: 'higher', target: '(Node 20 `using` lowering included)' },
    { name: '2 threads: raw futex with `using`, counter++ (tsc-lowered floor)', value: contendedRawUsing, unit: 'ops/s', baseline: '2 threads: raw futex, counter++', better: 'higher' },
    { name: '2 threads: spawn, `using` Mutex lockSync, value++ vs the floor', value: contendedSpawn, unit: 'ops/s', baseline: '2 threads: raw futex with `using`, counter++ (tsc-lowered floor)', better: 'higher', target: '≥ 0.5× raw (issue 25): the floor bounds it' },
    { name: '2 threads: Mutex await lock(), value++', value: contendedAsync, unit: 'ops/s', baseline: '2 threads: raw futex, counter++', better: 'higher' },
    { name: '2 threads: spawn, Mutex<Int32Array> await lock(), value[0]++', value: contendedAsyncTyped, unit: 'ops/s' },
    { name: '2 threads: multithreading await lock(), value[0]++', value: contendedPeer, unit: 'ops/s', baseline: '2 threads: spawn, Mutex<Int32Array> await lock(), value[0]++', better: 'lower' },
    { name: 'atomic: raw Atomics.add', value: addRaw, unit: 'ops/s' },
    { name: 'atomic: AtomicI32.fetchAdd', value: addFearless, unit: 'ops/s', baseline: 'atomic: raw Atomics.add', better: 'higher' },
    { name: 'atomic, 2 threads: raw Atomics.add', value: addRawThreads, unit: 'ops/s' },
    { name: 'atomic, 2 threads: AtomicI32.fetchAdd', value: addFearlessThreads, unit: 'ops/s', baseline: 'atomic, 2 threads: raw Atomics.add', better: 'higher' },
  ];
  printTable('shared state: Mutex and atomics vs raw Atomics and the multithreading package (2-thread cases take turns with their baselines, round by round; medians)', rows);
  console.log('\n(peer rows: ratio = fearless / multithreading, i.e. how many times faster fearless is)');
}

if (!isMainThread && (workerData as Partial<Job> | null)?.role !== undefined) {
  const job = workerData as Job;
  setThreadContext({ slot: job.slot, currentTask: () => undefined, track: () => {} });
  await runRole(job);
}
