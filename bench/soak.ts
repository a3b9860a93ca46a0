/**
 * `npm run soak -- [seconds]` (default 120): random rounds of the runtime's concurrency patterns
 * for as long as asked, checking that every message arrives and every increment counts. A round
 * that makes no progress for 10 s is reported with its pattern and sizes, and the process exits 1.
 *
 * Not part of `npm test` (it is random and long by design): run it after touching the wait and
 * wake-up protocols of channels or locks, or the way handles move. Its reply-sender pattern
 * found the main thread keeping every channel a worker ever touched (fixed); 2,472 rounds in
 * 300 s found nothing since.
 */
import { Condvar, Mutex, channel, move, spawn, syncChannel, type JoinHandle, type MutexGuard, type Sender } from '../src/index.js';

const seconds = Number(process.argv[2] ?? 120);
if (!Number.isFinite(seconds) || seconds <= 0) {
  console.error(`npm run soak -- [seconds]: expected a positive number of seconds, got '${process.argv[2]}'`);
  process.exit(2);
}
const deadline = Date.now() + seconds * 1000;
let round = 0;
let current = '';
let progress = 0;
let lastProgress = -1;
setInterval(() => {
  if (progress === lastProgress) {
    console.error(`STALL: no progress for 10 s in round ${round}: ${current}`);
    process.exit(1);
  }
  lastProgress = progress;
}, 10_000).unref();

const random = (below: number): number => Math.floor(Math.random() * below);
const joinAll = (handles: JoinHandle<unknown>[]): Promise<unknown[]> => Promise.all(handles.map((handle) => handle.join()));

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`soak round ${round} (${current}): ${what}`);
}

/** Blocking producers in threads, a bounded (or rendezvous) channel, the main thread receiving. */
async function boundedToMain(): Promise<void> {
  const bound = [0, 1, 2, 16, 1024][random(5)]!;
  const producers = 1 + random(4);
  const count = bound === 0 ? 2000 : 20_000 + random(50_000);
  current = `syncChannel(${bound}), ${producers} threads × ${count} sendSync → main recv()`;
  const [tx, rx] = syncChannel<number>(bound);
  const handles = Array.from({ length: producers }, () =>
    spawn(move(tx.clone(), count), (tx, count) => {
      for (let index = 0; index < count; index++) tx.sendSync(index);
    }),
  );
  tx.close();
  let received = 0;
  for (;;) {
    for (const _ of rx.tryIter()) received++;
    progress = received;
    try {
      await rx.recv();
      received++;
    } catch {
      break;
    }
  }
  await joinAll(handles);
  check(received === producers * count, `received ${received} of ${producers * count}`);
}

/** The main thread sending (async, with backpressure) to a thread that receives blocking. */
async function mainToBlockingThread(): Promise<void> {
  const bound = [0, 1, 8, 256][random(4)]!;
  const count = bound === 0 ? 2000 : 20_000 + random(30_000);
  current = `main send() on syncChannel(${bound}) × ${count} → thread iterSync()`;
  const [tx, rx] = syncChannel<{ index: number }>(bound);
  const handle = spawn(move(rx), (rx) => {
    let received = 0;
    for (const _ of rx.iterSync()) received++;
    return received;
  });
  for (let index = 0; index < count; index++) {
    await tx.send({ index });
    progress++;
  }
  tx.close();
  const received = await handle.join();
  check(received === count, `received ${received} of ${count}`);
}

/** Async producers in threads on an unbounded channel, `for await` on the main thread. */
async function unboundedForAwait(): Promise<void> {
  const producers = 1 + random(4);
  const count = 10_000 + random(40_000);
  current = `channel(), ${producers} async threads × ${count} send → main for await`;
  const [tx, rx] = channel<[number, string]>();
  const handles = Array.from({ length: producers }, () =>
    spawn(move(tx.clone(), count), async (tx, count) => {
      for (let index = 0; index < count; index++) {
        tx.send([index, 'x']);
        if (index % 1000 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
      }
    }),
  );
  tx.close();
  let received = 0;
  for await (const _ of rx) progress = ++received;
  await joinAll(handles);
  check(received === producers * count, `received ${received} of ${producers * count}`);
}

/** Threads taking a Mutex blocking while the main thread takes it async. */
async function mutexMixed(): Promise<void> {
  const threads = 2 + random(2);
  const count = 20_000 + random(50_000);
  current = `Mutex: ${threads} threads × ${count} lockSync() + main await lock()`;
  const mutex = new Mutex(0);
  const handles = Array.from({ length: threads }, () =>
    spawn(move(mutex, count), (mutex, count) => {
      for (let index = 0; index < count; index++) {
        using guard = mutex.lockSync();
        guard.value++;
      }
    }),
  );
  let finished = false;
  const done = joinAll(handles).finally(() => {
    finished = true;
  });
  let mine = 0;
  while (!finished) {
    {
      using guard = await mutex.lock();
      guard.value++;
    }
    progress = ++mine;
    // An uncontended lock() resolves in a microtask: let the threads' replies in now and then.
    if (mine % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await done;
  using guard = await mutex.lock();
  check(guard.value === threads * count + mine, `counted ${guard.value}, expected ${threads * count + mine}`);
}

/** A Condvar hand-off between a blocking thread and the async main thread. */
async function condvarPingPong(): Promise<void> {
  const count = 2000 + random(5000);
  current = `Condvar ping-pong × ${count}`;
  const mutex = new Mutex(0);
  const condvar = new Condvar();
  const handle = spawn(move(mutex, condvar, count), (mutex, condvar, count) => {
    for (let index = 0; index < count; index++) {
      using guard = mutex.lockSync();
      while (guard.value % 2 === 0) condvar.waitSync(guard);
      guard.value++;
      condvar.notifyAll();
    }
  });
  for (let index = 0; index < count; index++) {
    let guard: MutexGuard<number> = await mutex.lock();
    while (guard.value % 2 === 1) guard = await condvar.wait(guard);
    guard.value++;
    guard[Symbol.dispose]();
    condvar.notifyAll();
    progress++;
  }
  await handle.join();
  using guard = await mutex.lock();
  check(guard.value === 2 * count, `counted ${guard.value}, expected ${2 * count}`);
}

/** Buffers moved through a channel (they travel by the hub, not the ring), checked byte for byte. */
async function buffersToMain(): Promise<void> {
  const count = 500 + random(3000);
  const size = [16, 4096, 65_536][random(3)]!;
  current = `channel of ${count} moved ArrayBuffers of ${size} bytes, thread → main`;
  const [tx, rx] = syncChannel<{ index: number; bytes: ArrayBuffer }>(1 + random(64));
  const handle = spawn(move(tx, count, size), (tx, count, size) => {
    for (let index = 0; index < count; index++) {
      const bytes = new ArrayBuffer(size);
      new Uint8Array(bytes).fill(index & 0xff);
      tx.sendSync({ index, bytes });
    }
  });
  let received = 0;
  for await (const { index, bytes } of rx) {
    const view = new Uint8Array(bytes);
    check(index === received && view.length === size && view[0] === (index & 0xff) && view[size - 1] === (index & 0xff), `message ${received} arrived as #${index} with ${view.length} bytes`);
    progress = ++received;
  }
  await handle.join();
  check(received === count, `received ${received} of ${count}`);
}

/** Senders sent over a channel to a thread, which replies on each: handles moving by message. */
async function sendersOverChannel(): Promise<void> {
  const count = 200 + random(800);
  current = `${count} reply senders sent over a channel to a thread`;
  const [requests, requestsRx] = channel<{ question: number; reply: Sender<number> }>();
  const handle = spawn(move(requestsRx), async (requestsRx) => {
    let answered = 0;
    for await (const { question, reply } of requestsRx) {
      reply.send(question * 2);
      reply.close();
      answered++;
    }
    return answered;
  });
  for (let question = 0; question < count; question++) {
    const [reply, replies] = channel<number>();
    requests.send({ question, reply });
    const answer = await replies.recv();
    check(answer === question * 2, `question ${question} answered ${answer}`);
    progress++;
  }
  requests.close();
  check((await handle.join()) === count, 'the thread did not answer every request');
}

const patterns = [boundedToMain, mainToBlockingThread, unboundedForAwait, mutexMixed, condvarPingPong, buffersToMain, sendersOverChannel];
while (Date.now() < deadline) {
  round++;
  await patterns[random(patterns.length)]!();
  progress++;
}
console.log(`soak: ${round} rounds in ${seconds} s, nothing lost, nothing stalled`);
process.exit(0);
