/**
 * The checks the browser step runs in headless Chromium (run.mjs bundles this file for the
 * browser with esbuild and loads it into a page): the Bun/Deno subset — threads, channels of
 * every kind, locks, Arc, atomics, poisoning, a panic, abort, pool.map — plus the two platform
 * errors. Each check's outcome lands in `globalThis.fearlessResults`; `fearlessDone` is set last.
 *
 * The page's own mode comes from the query string: `?isolated=0` (served without the isolation
 * headers) runs only the FEARLESS_NOT_ISOLATED check.
 */
import {
  Arc,
  AtomicI32,
  Barrier,
  Condvar,
  Mutex,
  PlatformError,
  PoisonError,
  RecvError,
  RwLock,
  ThreadAbortedError,
  ThreadPanic,
  ThreadPool,
  channel,
  move,
  select,
  spawn,
  syncChannel,
} from '../../dist/src/index.js';

interface Outcome {
  readonly name: string;
  readonly ok: boolean;
  readonly detail?: string;
  readonly ms: number;
}

const page = globalThis as unknown as { fearlessResults: Outcome[]; fearlessDone: boolean; location: { search: string } };
page.fearlessResults = [];

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}

function same(actual: unknown, expected: unknown, message: string): void {
  const [a, e] = [JSON.stringify(actual), JSON.stringify(expected)];
  assert(a === e, `${message}: got ${a}, expected ${e}`);
}

async function thrown(body: () => unknown): Promise<unknown> {
  try {
    await body();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

async function check(name: string, body: () => unknown): Promise<void> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(body),
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error('did not settle within 30 s')), 30_000);
      }),
    ]);
    page.fearlessResults.push({ name, ok: true, ms: performance.now() - started });
  } catch (error) {
    const detail = error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}${error.cause instanceof Object && "stack" in error.cause ? `\ncause: ${String(error.cause.stack)}` : ''}` : String(error);
    page.fearlessResults.push({ name, ok: false, detail, ms: performance.now() - started });
  } finally {
    clearTimeout(timer);
  }
}

async function notIsolated(): Promise<void> {
  await check('not isolated: spawn throws FEARLESS_NOT_ISOLATED naming both headers', async () => {
    const error = await thrown(() => spawn(() => 1));
    assert(error instanceof PlatformError, `a PlatformError, got ${String(error)}`);
    same(error.code, 'FEARLESS_NOT_ISOLATED', 'code');
    assert(error.message.includes('Cross-Origin-Opener-Policy: same-origin'), 'names COOP');
    assert(error.message.includes('Cross-Origin-Embedder-Policy: require-corp'), 'names COEP');
  });
  await check('not isolated: channel() and new Mutex() throw FEARLESS_NOT_ISOLATED too', async () => {
    for (const make of [() => channel<number>(), () => new Mutex(0)]) {
      const error = await thrown(make);
      assert(error instanceof PlatformError && error.code === 'FEARLESS_NOT_ISOLATED', `got ${String(error)}`);
    }
  });
}

async function isolated(): Promise<void> {
  await check('spawn and join: a closure with moved values returns its result', async () => {
    same(await spawn(move(20, 22), (a, b) => a + b).join(), 42, 'sum');
    same(await spawn(async () => (await Promise.resolve('async ')) + 'closure').join(), 'async closure', 'async');
  });

  await check("import() in a closure resolves against the calling module's URL", async () => {
    const doubled = await spawn(async () => {
      // Not a literal: the page's bundler would look for ./helper.js at build time.
      const helper = (await import(['.', 'helper.js'].join('/'))) as { double(n: number): number };
      return helper.double(21);
    }).join();
    same(doubled, 42, 'the helper ran in the worker');
  });

  await check('a thread that throws: join rejects with ThreadPanic carrying the error', async () => {
    const error = await thrown(() =>
      spawn(() => {
        throw new RangeError('out of range in a worker');
      }).join(),
    );
    assert(error instanceof ThreadPanic, `a ThreadPanic, got ${String(error)}`);
    assert(error.message.includes('out of range in a worker'), `the message, got ${error.message}`);
  });

  await check('abort: a looping thread is stopped, join rejects with ThreadAbortedError', async () => {
    const handle = spawn(() => {
      for (;;) {
        // spins until terminated
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    handle.abort();
    const error = await thrown(() => handle.join());
    assert(error instanceof ThreadAbortedError, `a ThreadAbortedError, got ${String(error)}`);
    same(await spawn(() => 'after abort').join(), 'after abort', 'a later spawn');
  });

  await check('pool.map: runs every item on a pool and keeps the order', async () => {
    const pool = new ThreadPool({ size: 2 });
    try {
      same(await pool.map([1, 2, 3, 4, 5, 6], (n: number) => n * n), [1, 4, 9, 16, 25, 36], 'squares');
    } finally {
      await pool.close();
    }
  });

  await check('unbounded channel: cloned senders in workers, async iteration on the page', async () => {
    const [tx, rx] = channel<[number, number]>();
    const producers = [0, 1, 2].map((id) =>
      spawn(move(tx.clone(), id), (tx, id) => {
        for (let index = 0; index < 300; index++) tx.send([id, index]);
      }),
    );
    tx.close();
    const next = [0, 0, 0];
    for await (const [id, index] of rx) {
      same(index, next[id], `thread ${id} in order`);
      next[id]! += 1;
    }
    same(next, [300, 300, 300], 'all arrived');
    await Promise.all(producers.map((handle) => handle.join()));
  });

  await check("contention: the page's async recv meets busy producers on the ring lock (it spins, never Atomics.wait)", async () => {
    const [tx, rx] = channel<{ id: number; index: number }>();
    const producers = [0, 1].map((id) =>
      spawn(move(tx.clone(), id), (tx, id) => {
        for (let index = 0; index < 20_000; index++) tx.send({ id, index });
      }),
    );
    tx.close();
    let received = 0;
    for await (const _message of rx) received++;
    same(received, 40_000, 'every message');
    await Promise.all(producers.map((handle) => handle.join()));
  });

  await check('contention: a receiver cloned between the page (await) and a worker (iterSync) shares the queue', async () => {
    const [tx, rx] = channel<number>();
    const worker = spawn(move(rx.clone()), (receiver) => {
      let sum = 0;
      for (const value of receiver.iterSync()) sum += value;
      return sum;
    });
    const producer = spawn(move(tx), (tx) => {
      for (let value = 1; value <= 20_000; value++) tx.send(value);
    });
    let mine = 0;
    for await (const value of rx) mine += value;
    await producer.join();
    same(mine + (await worker.join()), 200_010_000, 'every message once');
  });

  await check('unbounded channel: a worker blocks in recvSync/iterSync on what the page sends', async () => {
    const [tx, rx] = channel<{ text: string; n: number }>();
    const consumer = spawn(move(rx), (rx) => {
      let total = 0;
      for (const message of rx.iterSync()) total += message.n + message.text.length;
      return total;
    });
    for (let index = 0; index < 100; index++) tx.send({ text: 'héllo ✓', n: index });
    tx.close();
    same(await consumer.join(), 4950 + 100 * 7, 'total');
  });

  await check('bounded channel: a worker blocks on a full queue while the page drains it', async () => {
    const [tx, rx] = syncChannel<number>(4);
    const producer = spawn(move(tx), (tx) => {
      for (let value = 1; value <= 200; value++) tx.sendSync(value);
    });
    let sum = 0;
    for await (const value of rx) sum += value;
    same(sum, 20_100, 'sum');
    await producer.join();
  });

  await check('rendezvous channel: sendSync in a worker completes once the page takes the message', async () => {
    const [tx, rx] = syncChannel<string>(0);
    const producer = spawn(move(tx), (tx) => {
      tx.sendSync('one');
      tx.sendSync('two');
      return 'sent';
    });
    same([await rx.recv(), await rx.recv()], ['one', 'two'], 'messages');
    same(await producer.join(), 'sent', 'producer');
  });

  await check('select: the page waits on two channels fed by workers', async () => {
    const [txA, rxA] = channel<string>();
    const [txB, rxB] = channel<number>();
    const a = spawn(move(txA), (tx) => tx.send('from a'));
    const b = spawn(move(txB), (tx) => tx.send(7));
    const seen: unknown[] = [];
    // Until both messages came: a channel whose sender is gone reports { ok: false }.
    while (seen.length < 2) {
      const picked = await select([rxA, rxB], { timeout: 10_000 });
      if (picked.ok) seen.push(picked.value);
    }
    same(seen.map(String).sort(), ['7', 'from a'], 'both');
    await Promise.all([a.join(), b.join()]);
  });

  await check('clone: a cloned receiver in two workers shares the queue (each message once)', async () => {
    const [tx, rx] = channel<number>();
    const workers = [rx.clone(), rx].map((receiver) =>
      spawn(move(receiver), (receiver) => {
        let sum = 0;
        for (const value of receiver.iterSync()) sum += value;
        return sum;
      }),
    );
    for (let value = 1; value <= 1000; value++) tx.send(value);
    tx.close();
    const sums = await Promise.all(workers.map((handle) => handle.join()));
    same(sums[0]! + sums[1]!, 500_500, 'every message once');
  });

  await check('Mutex<number>: three workers (lockSync) and the page (await lock()) add without losing one', async () => {
    const total = new Mutex(0);
    const adders = [1, 2, 3].map((step) =>
      spawn(move(total, step), (total, step) => {
        for (let round = 0; round < 300; round++) {
          using held = total.lockSync();
          held.value += step;
        }
      }),
    );
    for (let round = 0; round < 50; round++) {
      using held = await total.lock();
      held.value += 10;
    }
    await Promise.all(adders.map((handle) => handle.join()));
    const final = await total.lock();
    same(final.value, 300 * (1 + 2 + 3) + 50 * 10, 'total');
    final[Symbol.dispose]();
  });

  await check('RwLock: a worker writes with writeSync while the page reads with await read(), never a torn pair', async () => {
    const pair = new RwLock({ a: 0, b: 0 });
    const writer = spawn(move(pair), (pair) => {
      for (let step = 1; step <= 200; step++) {
        using guard = pair.writeSync();
        guard.value = { a: step, b: -step };
      }
      return 'written';
    });
    let torn = 0;
    for (let read = 0; read < 100; read++) {
      using seen = await pair.read();
      if (seen.value.a + seen.value.b !== 0) torn += 1;
    }
    same([await writer.join(), torn], ['written', 0], 'writer and torn reads');
    const last = await pair.read();
    same(last.value, { a: 200, b: -200 }, 'last write');
    last[Symbol.dispose]();
  });

  await check('Arc: workers read one shared value; clone() shares it', async () => {
    const words = new Arc({ words: ['alpha', 'beta', 'gamma'], weight: 3 });
    const lengths = [words, words.clone()].map((arc) => spawn(move(arc), (arc) => arc.get().words.join('').length * arc.get().weight));
    same(await Promise.all(lengths.map((handle) => handle.join())), [42, 42], 'lengths');
  });

  await check('atomics: AtomicI32 fetchAdd from four workers', async () => {
    const total = new AtomicI32(0);
    const workers = [0, 1, 2, 3].map(() =>
      spawn(move(total), (total) => {
        for (let index = 0; index < 1000; index++) total.fetchAdd(1);
      }),
    );
    await Promise.all(workers.map((handle) => handle.join()));
    same(total.load(), 4000, 'total');
  });

  await check('Condvar: a worker waits (waitSync) until the page sets the flag', async () => {
    const state = new Mutex(false);
    const ready = new Condvar();
    const waiter = spawn(move(state, ready), (state, ready) => {
      let guard = state.lockSync();
      while (!guard.value) guard = ready.waitSync(guard);
      guard[Symbol.dispose]();
      return 'woken';
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    {
      using guard = await state.lock();
      guard.value = true;
    }
    ready.notifyAll();
    same(await waiter.join(), 'woken', 'waiter');
  });

  await check('Barrier: three workers (waitSync) and the page (await wait()) meet, one leader', async () => {
    const barrier = new Barrier(4);
    const workers = [0, 1, 2].map(() => spawn(move(barrier), (barrier) => barrier.waitSync().isLeader));
    const mine = await barrier.wait();
    const leaders = [...(await Promise.all(workers.map((handle) => handle.join()))), mine.isLeader].filter(Boolean);
    same(leaders.length, 1, 'one leader');
  });

  await check('poisoning: a worker that throws holding the lock poisons it', async () => {
    const lock = new Mutex(1);
    const error = await thrown(() =>
      spawn(move(lock), (lock) => {
        const guard = lock.lockSync();
        guard.value = 2;
        throw new Error('died holding the lock');
      }).join(),
    );
    assert(error instanceof ThreadPanic, `a ThreadPanic, got ${String(error)}`);
    const poisoned = await thrown(() => lock.lock());
    assert(poisoned instanceof PoisonError, `a PoisonError, got ${String(poisoned)}`);
    same(lock.isPoisoned, true, 'isPoisoned');
  });

  await check('hub: a Mutex and an ArrayBuffer sent through a channel from the page to a worker arrive (await recv)', async () => {
    const [tx, rx] = channel<[Mutex<number>, ArrayBuffer]>();
    const lock = new Mutex(9);
    const receiver = spawn(move(rx), async (rx) => {
      const results: number[] = [];
      for (let round = 0; round < 3; round++) {
        const [lock, bytes] = await rx.recv();
        const guard = lock.lockSync();
        guard.value += 1;
        results.push(guard.value, new Uint8Array(bytes)[0]!);
        guard[Symbol.dispose]();
      }
      return results;
    });
    for (let round = 0; round < 3; round++) {
      const bytes = new Uint8Array([round + 1]).buffer;
      tx.send([lock, bytes]);
      same(bytes.byteLength, 0, 'the ArrayBuffer was moved (detached on the page)');
    }
    same(JSON.stringify(await receiver.join()), JSON.stringify([10, 1, 11, 2, 12, 3]), 'the worker locked the same Mutex and read each buffer');
    same((await lock.lock()).value, 12, 'the page sees the worker\'s writes');
  });

  await check('hub: a Mutex and an ArrayBuffer sent through a channel from a worker to the page arrive in order', async () => {
    const [tx, rx] = channel<[number, Mutex<number>, ArrayBuffer] | number>();
    const lock = new Mutex(1);
    const sender = spawn(move(tx, lock), (tx, lock) => {
      for (let round = 0; round < 50; round++) {
        tx.send(round);
        tx.send([round, lock, new Uint8Array([round]).buffer]);
      }
      lock.lockSync().value = 5;
    });
    for (let round = 0; round < 50; round++) {
      same(await rx.recv(), round, 'the plain message keeps its place');
      const [at, got, bytes] = (await rx.recv()) as [number, Mutex<number>, ArrayBuffer];
      same(at, round, 'the parked message keeps its place');
      assert(got instanceof Mutex, 'a Mutex');
      same(new Uint8Array(bytes)[0], round, 'the buffer\'s byte');
    }
    await sender.join();
    same((await lock.lock()).value, 5, 'the Mutex that came back is the shared one');
  });

  await check("hub: the page's recv waits for a worker's parked part its event loop has not brought yet", async () => {
    const [tx, rx] = channel<ArrayBuffer>();
    const sent = new Int32Array(new SharedArrayBuffer(4));
    const sender = spawn(move(tx, sent), (tx, sent) => {
      tx.send(new Uint8Array([42]).buffer);
      Atomics.store(sent, 0, 1);
    });
    // Spins without yielding: the ring record is there, the stash still sits in the port's queue.
    while (Atomics.load(sent, 0) === 0) {
      /* the page's event loop is held on purpose */
    }
    same(new Uint8Array(await rx.recv())[0], 42, 'the buffer arrived');
    await sender.join();
  });

  await check('hub: a SharedArrayBuffer sent through channels both ways is shared memory', async () => {
    const [toWorker, workerRx] = channel<Int32Array>();
    const [toPage, pageRx] = channel<Int32Array>();
    const worker = spawn(move(workerRx, toPage), async (rx, tx) => {
      const view = await rx.recv();
      Atomics.add(view, 0, 10);
      const own = new Int32Array(new SharedArrayBuffer(4));
      own[0] = 7;
      tx.send(own);
      for (;;) {
        if (Atomics.load(own, 0) === 8) return Atomics.load(view, 0);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    });
    const view = new Int32Array(new SharedArrayBuffer(4));
    view[0] = 1;
    toWorker.send(view);
    const theirs = await pageRx.recv();
    assert(theirs.buffer instanceof SharedArrayBuffer, 'a SharedArrayBuffer');
    same(Atomics.add(theirs, 0, 1), 7, 'the worker\'s value');
    same(await worker.join(), 11, 'the worker added to the page\'s memory');
    same(view[0], 11, 'the page sees it');
  });

  await check('hub: a blocking receive in a worker of a message parked on the page says to await recv()', async () => {
    const [tx, rx] = channel<Mutex<number>>();
    const receiver = spawn(move(rx), (rx) => rx.recvSync().lockSync().value);
    tx.send(new Mutex(9));
    const error = await thrown(() => receiver.join());
    assert(error instanceof ThreadPanic && error.message.includes('await recv()'), `the message, got ${String(error)}`);
  });

  await check('RecvError: recv on the page ends once the worker drops its sender', async () => {
    const [tx, rx] = channel<number>();
    await spawn(move(tx), (tx) => tx.send(1)).join();
    same(await rx.recv(), 1, 'message');
    assert((await thrown(() => rx.recv())) instanceof RecvError, 'RecvError');
  });

  await check("blocking forms on the page's main thread throw FEARLESS_CANNOT_BLOCK naming the async form", async () => {
    const [, rx] = channel<number>();
    const lock = new Mutex(0);
    const cases: [() => unknown, string][] = [
      [() => rx.recvSync(), 'await recv()'],
      [() => lock.lockSync(), 'await lock()'],
      [() => new Barrier(2).waitSync(), 'await barrier.wait()'],
      [() => new RwLock(0).writeSync(), 'await write()'],
    ];
    for (const [call, asyncForm] of cases) {
      const error = await thrown(call);
      assert(error instanceof PlatformError, `a PlatformError, got ${String(error)}`);
      same(error.code, 'FEARLESS_CANNOT_BLOCK', 'code');
      assert(error.message.includes(asyncForm), `names ${asyncForm}: ${error.message}`);
    }
  });
  if (page.location.search.includes('polling=1')) {
    await check('the polling stand-in is in use where Atomics.waitAsync is missing', () => {
      assert(!('waitAsync' in Atomics), 'Atomics.waitAsync was deleted before the page ran');
    });
  }
}

if (page.location.search.includes('isolated=0')) await notIsolated();
else await isolated();
page.fearlessDone = true;
