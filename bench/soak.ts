/**
 * `npm run soak -- [seconds]` (default 120): random rounds of the runtime's concurrency patterns
 * for as long as asked, checking that every message arrives and every increment counts. A round
 * that makes no progress for 10 s is reported with its pattern and sizes, and the process exits 1.
 *
 * Not part of `npm test` (it is random and long by design): run it after touching the wait and
 * wake-up protocols of channels or locks, or the way handles move. Its reply-sender pattern
 * found the main thread keeping every channel a worker ever touched (fixed); 2,472 rounds in
 * 300 s found nothing since. Also: aborting stuck threads, channel churn, a receiver whose
 * thread dies with senders queued in its messages, channel reuse with clones, select and pending
 * operations mixed (`channelReuseMix`), and aborts mixed into pools' work at random moments
 * (queued, running, just answered) and into scopes (`abortMixed`).
 */
import { AtomicI32, Condvar, Mutex, PoisonError, RecvError, ThreadAbortedError, ThreadPool, channel, move, scope, select, spawn, syncChannel, type JoinHandle, type MutexGuard, type Sender } from '../src/index.js';

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

// A wait nothing will answer may also leave the event loop empty (a pending recv() does not hold
// it): the process would end quietly in the middle of a round. Report it as the stall it is.
let finished = false;
process.on('exit', () => {
  if (finished) return;
  console.error(`STALL: the event loop ran empty in round ${round}: ${current}`);
  process.exitCode = 1;
});

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

/** Threads stuck in a busy loop, recvSync() or holding a lock are aborted: locks poisoned, senders closed. */
async function abortStuck(): Promise<void> {
  const threads = 1 + random(4);
  current = `abort ${threads} stuck threads (busy loop holding a lock and a sender, recvSync)`;
  const mutex = new Mutex(0);
  const inside = new AtomicI32(0);
  const [tx, rx] = channel<number>();
  const handles: JoinHandle<unknown>[] = [
    spawn(move(mutex, inside, tx), (mutex, inside, tx) => {
      const guard = mutex.lockSync();
      guard.value = 1;
      tx.send(1);
      inside.fetchAdd(1);
      for (;;) {
        // stuck holding the lock and the sender
      }
    }),
  ];
  for (let index = 1; index < threads; index++) {
    handles.push(
      spawn(move(inside), (inside) => {
        inside.fetchAdd(1);
        for (;;) {
          // busy
        }
      }),
    );
  }
  check((await rx.recv()) === 1, 'the stuck thread did not send');
  while (inside.load() < threads) await new Promise((resolve) => setTimeout(resolve, 1));
  for (const handle of handles) handle.abort();
  for (const handle of handles) {
    const error = await handle.join().then(() => undefined, (rejection: unknown) => rejection);
    check(error instanceof ThreadAbortedError, `join after abort gave ${String(error)}`);
  }
  check(mutex.isPoisoned, 'the aborted holder did not poison the lock');
  const locked = await mutex.lock().then(() => 'locked', (error: unknown) => (error instanceof PoisonError ? 'poisoned' : String(error)));
  check(locked === 'poisoned', `lock after abort: ${locked}`);
  check(await rx.recv().then(() => false, (error: unknown) => error instanceof RecvError), 'the aborted thread\'s sender stayed open');
  progress++;
}

/** Channels made and closed in a tight loop (a channel per request): memory and mappings stay bounded. */
function channelChurn(): Promise<void> {
  const count = 10_000 + random(40_000);
  current = `${count} channel/syncChannel create, send, receive, close cycles`;
  for (let index = 0; index < count; index++) {
    const [tx, rx] = index % 2 === 0 ? channel<number>() : syncChannel<number>(1 + random(4));
    if ('trySend' in tx) check(tx.trySend(index), 'a fresh bounded channel was full');
    else tx.send(index);
    const got = rx.tryRecv();
    check(got.ok && got.value === index, `cycle ${index}: got ${JSON.stringify(got)}`);
    tx.close();
    rx.close();
    if (index % 1000 === 0) progress++;
  }
  return Promise.resolve();
}

/** A receiver whose thread dies with messages queued: senders parked in them close. */
async function receiverDeath(): Promise<void> {
  const messages = 1 + random(20);
  current = `a receiver's thread aborted with ${messages} queued messages holding senders`;
  const [outerTx, outerRx] = channel<Sender<number>>();
  const inside = new AtomicI32(0);
  const holder = spawn(move(outerRx, inside), (outerRx, inside) => {
    inside.store(1);
    for (;;) {
      void outerRx;
    }
  });
  while (inside.load() === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  const receivers = [];
  for (let index = 0; index < messages; index++) {
    const [innerTx, innerRx] = channel<number>();
    outerTx.send(innerTx);
    receivers.push(innerRx);
  }
  holder.abort();
  await holder.join().catch(() => {});
  for (const innerRx of receivers) {
    check(await innerRx.recv().then(() => false, (error: unknown) => error instanceof RecvError), 'a sender in a dropped message stayed open');
  }
  outerTx.close();
  progress++;
}

/**
 * Channel reuse, clones and select mixed (issue 20): channels made and closed back to back with
 * operations still pending on them — a select over a receiver and its clone, a recv(), a bounded
 * or rendezvous send waiting — closed in a random order, a new channel made at once (it may get
 * the closed one's memory), sometimes a thread sending on a moved clone (that channel is then
 * never reused). Each message is received at most once and only on its own channel; every
 * pending operation settles; each new channel works.
 */
async function channelReuseMix(): Promise<void> {
  const rounds = 200 + random(300);
  current = `channel reuse × ${rounds}: select on clones, pending recv and send, closes, new channels`;
  let previous: { check: () => Promise<void> } | undefined;
  for (let index = 0; index < rounds; index++) {
    const bound = [-1, 0, 1, 4][random(4)]!;
    const [tx, rx] = bound < 0 ? channel<number>() : syncChannel<number>(bound);
    const tag = index * 1000;
    const clone = rx.clone();
    const seen = new Set<number>();
    const takeOne = (value: unknown): void => {
      if (typeof value !== 'number') return;
      check(value >= tag && value < tag + 1000, `channel ${index} received ${value}, sent on another channel`);
      check(!seen.has(value), `channel ${index} received ${value} twice`);
      seen.add(value);
    };
    const pending: Array<Promise<unknown>> = [
      select([rx, clone]).then((picked) => picked.ok && takeOne(picked.value), () => undefined),
      clone.recv().then(takeOne, () => undefined),
    ];
    if (bound >= 0) pending.push((tx as { send(value: number): Promise<void> }).send(tag + 1).catch(() => undefined));
    else (tx as Sender<number>).send(tag + 1);
    if (random(8) === 0) {
      const thread = spawn(move(tx.clone(), tag), (tx, tag) => {
        try {
          if ('trySend' in tx) tx.trySend(tag + 2);
          else tx.send(tag + 2);
        } catch {
          // The receivers may be gone already.
        }
      });
      pending.push(thread.join());
    }
    if (random(2) === 0) await new Promise((resolve) => setImmediate(resolve));
    const closes = [() => tx.close(), () => rx.close(), () => clone.close()].sort(() => Math.random() - 0.5);
    for (const close of closes) close();
    // Made at once: it may get the memory of the one just closed.
    const [freshTx, freshRx] = channel<number>();
    const freshRecv = freshRx.recv();
    await previous?.check();
    previous = {
      check: async () => {
        await Promise.all(pending);
        freshTx.send(-index);
        const got = await freshRecv;
        check(got === -index, `a new channel received ${got}, expected ${-index}`);
        check(!freshRx.tryRecv().ok, 'a new channel received a message it was never sent');
        freshTx.close();
        freshRx.close();
      },
    };
    progress++;
  }
  await previous?.check();
}

// --- abort mixed in (src/thread/README.md, "Abort") ---

/**
 * Jobs on a small ThreadPool or the top-level spawn, some aborted at random moments: while
 * queued, while running, and just after answering while the main thread is blocked (answers
 * queued, unprocessed), with spawns in between; plus scoped threads aborted inside `scope`. A
 * job nobody aborted must give its own value; a job aborted while its gate was closed must be
 * rejected with ThreadAbortedError; every join and the scope settle (else the stall check fires).
 */
async function abortMixed(): Promise<void> {
  const size = random(4);
  const count = 20 + random(100);
  current = `${count} jobs on ${size === 0 ? 'the top-level spawn' : `ThreadPool({ size: ${size} })`}, some aborted while queued, running or just answered; scoped aborts`;
  const pool = size === 0 ? undefined : new ThreadPool({ size });
  const run = (pool === undefined ? spawn : pool.spawn.bind(pool)) as (first: unknown, second?: unknown) => JoinHandle<unknown>;
  // Per job: [0] started, [1] gate, [2] answering.
  const words = new Int32Array(new SharedArrayBuffer(12 * count));
  const jobs: Array<{ handle: JoinHandle<unknown>; gated: boolean; mustAbort: boolean; aborted: boolean }> = [];
  const block = (ms: number): void => {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  };
  for (let id = 0; id < count; id++) {
    const gated = random(3) === 0;
    const handle = gated
      ? run(move(words, id), (words: Int32Array, id: number) => {
          Atomics.store(words, id * 3, 1);
          Atomics.wait(words, id * 3 + 1, 0);
          Atomics.store(words, id * 3 + 2, 1);
          Atomics.notify(words, id * 3 + 2);
          return id;
        })
      : run(move(id), (id: number) => id);
    const job = { handle, gated, mustAbort: false, aborted: false };
    jobs.push(job);
    switch (random(6)) {
      case 0: // abort at once (queued, or not started)
        job.mustAbort = gated;
        job.aborted = true;
        handle.abort();
        break;
      case 1: {
        // answers while the main thread is blocked, then aborted (a deadline firing late)
        if (!gated) break;
        for (let waited = 0; Atomics.load(words, id * 3) === 0 && waited < 50; waited++) await new Promise((resolve) => setTimeout(resolve, 1));
        if (Atomics.load(words, id * 3) === 0) break;
        Atomics.store(words, id * 3 + 1, 1);
        Atomics.notify(words, id * 3 + 1);
        Atomics.wait(words, id * 3 + 2, 0, 1000);
        block(1);
        job.aborted = true;
        handle.abort();
        break;
      }
      case 2:
        await new Promise((resolve) => setImmediate(resolve));
        break;
      default:
        break;
    }
    progress++;
  }
  // Gated jobs still closed: half aborted, half let through.
  for (const [id, job] of jobs.entries()) {
    if (!job.gated || Atomics.load(words, id * 3 + 1) === 1 || job.aborted) continue;
    if (random(2) === 0) {
      job.mustAbort = true;
      job.aborted = true;
      job.handle.abort();
    }
    Atomics.store(words, id * 3 + 1, 1);
    Atomics.notify(words, id * 3 + 1);
  }
  for (const [id, job] of jobs.entries()) {
    const outcome = await job.handle.join().then((value) => ({ value }), (error: unknown) => ({ error }));
    const got = 'value' in outcome ? `value ${String(outcome.value)}` : String(outcome.error);
    if (job.mustAbort) check('error' in outcome && outcome.error instanceof ThreadAbortedError, `job ${id}, aborted while it could not finish, gave ${got}`);
    else if (!job.aborted) check('value' in outcome && outcome.value === id, `job ${id}, never aborted, gave ${got}`);
    else check(('value' in outcome && outcome.value === id) || ('error' in outcome && outcome.error instanceof ThreadAbortedError), `job ${id}, aborted, gave ${got}`);
    progress++;
  }
  await pool?.close();
  // A scoped thread aborted inside the body: the scope settles with the body's value.
  const started = new AtomicI32(0);
  const value = await scope(async (s) => {
    const busy = s.spawn(move(started), (started) => {
      started.store(1);
      for (;;) {
        // until aborted
      }
    });
    const quick = s.spawn(() => 'quick');
    while (started.load() === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    busy.abort();
    return quick.join();
  });
  check(value === 'quick', `scope with an aborted thread gave ${String(value)}`);
}

const patterns = [channelReuseMix, boundedToMain, mainToBlockingThread, unboundedForAwait, mutexMixed, condvarPingPong, buffersToMain, sendersOverChannel, abortStuck, channelChurn, receiverDeath, abortMixed];
// `npm run soak -- 60 channelReuseMix`: only the patterns whose name contains the third argument.
const chosen = patterns.filter((pattern) => process.argv[3] === undefined || pattern.name.includes(process.argv[3]));
if (chosen.length === 0) {
  console.error(`npm run soak -- [seconds] [pattern]: no pattern matches '${process.argv[3]}'`);
  process.exit(2);
}
while (Date.now() < deadline) {
  round++;
  await chosen[random(chosen.length)]!();
  progress++;
}
finished = true;
console.log(`soak: ${round} rounds in ${seconds} s, nothing lost, nothing stalled`);
process.exit(0);
