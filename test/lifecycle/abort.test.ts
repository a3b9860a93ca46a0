import { describe, expect, it } from 'vitest';
import {
  AtomicI32,
  Barrier,
  type JoinHandle,
  Mutex,
  PoisonError,
  RecvError,
  ThreadAbortedError,
  ThreadPool,
  channel,
  move,
  spawn,
} from 'fearless';

/** Waits until `flag` holds a non-zero value (set by the thread once it is inside its task). */
async function started(flag: AtomicI32): Promise<void> {
  while (flag.load() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
}

async function aborted(join: Promise<unknown>): Promise<ThreadAbortedError> {
  const error = await join.then(() => undefined, (rejection: unknown) => rejection);
  expect(error).toBeInstanceOf(ThreadAbortedError);
  expect((error as ThreadAbortedError).code).toBe('FEARLESS_THREAD_ABORTED');
  return error as ThreadAbortedError;
}

describe('JoinHandle.abort()', () => {
  it('ends a busy loop; join rejects with ThreadAbortedError', async () => {
    const flag = new AtomicI32(0);
    const handle = spawn(move(flag), (flag) => {
      flag.store(1);
      for (;;) {
        // busy: never yields
      }
    });
    await started(flag);
    handle.abort();
    await aborted(handle.join());
    expect(handle.isFinished).toBe(true);
  });

  it('poisons the locks the thread held (no hang), and drops its handles (its sender closes)', async () => {
    const mutex = new Mutex(1);
    const flag = new AtomicI32(0);
    const [tx, rx] = channel<number>();
    const handle = spawn(move(mutex, flag, tx), (mutex, flag, tx) => {
      const guard = mutex.lockSync();
      guard.value = 2;
      tx.send(guard.value);
      flag.store(1);
      for (;;) {
        // holds the lock and the sender forever
      }
    });
    await started(flag);
    expect(await rx.recv()).toBe(2);
    handle.abort();
    await aborted(handle.join());
    expect(mutex.isPoisoned).toBe(true);
    await expect(mutex.lock()).rejects.toBeInstanceOf(PoisonError);
    await expect(rx.recv()).rejects.toBeInstanceOf(RecvError);
  });

  it('ends a thread blocked in recvSync() whose sender lives on, and one stuck at a Barrier', async () => {
    const [tx, rx] = channel<number>();
    const barrier = new Barrier(2);
    const inside = new AtomicI32(0);
    const receiving = spawn(move(rx, inside), (rx, inside) => {
      inside.fetchAdd(1);
      return rx.recvSync();
    });
    const waiting = spawn(move(barrier, inside), (barrier, inside) => {
      inside.fetchAdd(1);
      return barrier.waitSync();
    });
    while (inside.load() < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    receiving.abort();
    waiting.abort();
    await aborted(receiving.join());
    await aborted(waiting.join());
    // The receiver went with its thread: sending now fails.
    expect(() => tx.send(1)).toThrow(/receiver is gone/);
  });

  it('has no effect once the thread has finished', async () => {
    const handle = spawn(() => 5);
    expect(await handle.join()).toBe(5);
    handle.abort();
    expect(await handle.join()).toBe(5);
  });

  it('a queued thread never starts; its moved handles are dropped; pool.close() then ends', async () => {
    const pool = new ThreadPool({ size: 1 });
    const flag = new AtomicI32(0);
    const stuck = pool.spawn(move(flag), (flag) => {
      flag.store(1);
      for (;;) {
        // occupies the only thread
      }
    });
    const [tx, rx] = channel<string>();
    const ran = new AtomicI32(0);
    const queued = pool.spawn(move(tx, ran), (tx, ran) => {
      ran.store(1);
      tx.send('ran');
    });
    await started(flag);
    queued.abort();
    await aborted(queued.join());
    stuck.abort();
    await aborted(stuck.join());
    await expect(rx.recv()).rejects.toBeInstanceOf(RecvError);
    expect(ran.load()).toBe(0);
    await pool.close();
  });

  it('works on a handle spawned inside a thread', async () => {
    const outcome = await spawn(async () => {
      const inner = spawn(() => {
        for (;;) {
          // busy
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      inner.abort();
      return inner.join().then(
        () => 'joined',
        (error: unknown) => (error as Error).name,
      );
    }).join();
    expect(outcome).toBe('ThreadAbortedError');
  });
});

/**
 * A thread that answers while the main thread cannot process its answer: `task` is started
 * (the main thread's event loop runs meanwhile), waits at a gate; the main thread opens the
 * gate and, blocked, waits for the thread's last act before it returns, then 20 ms more, so
 * its answer is posted and not yet processed — the state in which an abort used to stop the
 * worker and the pool handed that dying worker the next job. (Were the worker slower than
 * that, the abort may stop it before it answers: the tests allow that outcome for the aborted
 * thread only.) Words of `flag`: [0] started, [1] gate, [2] returning.
 */
function gatedTask(flag: Int32Array, value: number): number {
  Atomics.store(flag, 0, 1);
  Atomics.wait(flag, 1, 0);
  Atomics.store(flag, 2, 1);
  Atomics.notify(flag, 2);
  return value;
}

async function answerWhileBlocked(flag: Int32Array): Promise<void> {
  while (Atomics.load(flag, 0) === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  Atomics.store(flag, 1, 1);
  Atomics.notify(flag, 1);
  expect(Atomics.wait(flag, 2, 0, 10_000)).not.toBe('timed-out');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
}

/** The aborted thread's join: its own answer (it had finished) or, if the abort beat it, ThreadAbortedError. */
async function ownAnswerOrAborted(join: Promise<unknown>, answer: unknown): Promise<boolean> {
  const outcome = await join.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if ('error' in outcome) {
    expect(outcome.error).toBeInstanceOf(ThreadAbortedError);
    return false;
  }
  expect(outcome.value).toBe(answer);
  return true;
}

describe('abort() of a thread that has answered (its answer not yet processed) is a no-op, and never reaches another job', () => {
  const spawners: Array<[string, () => { spawn: typeof spawn; close: () => Promise<void> }]> = [
    [
      'new ThreadPool({ size: 1 })',
      () => {
        const pool = new ThreadPool({ size: 1 });
        const run: typeof spawn = (first: unknown, second?: unknown) => (pool.spawn as (first: unknown, second?: unknown) => JoinHandle<unknown>)(first, second);
        return { spawn: run, close: () => pool.close() };
      },
    ],
    ['the top-level spawn', () => ({ spawn, close: async () => {} })],
  ];
  for (const [name, make] of spawners) {
    it(`${name}: the next job, spawned before or after the answer is processed, gets its own result`, async () => {
      const { spawn: run, close } = make();
      let answersKept = 0;
      for (let round = 0; round < 8; round++) {
        const flag = new Int32Array(new SharedArrayBuffer(12));
        const first = run(move(flag, round), gatedTask);
        await answerWhileBlocked(flag);
        first.abort();
        // Half the rounds spawn the next job at once (it queues behind, or takes another
        // worker), half once the aborted one's answer was processed (it would take the same
        // worker): neither may be refused or get the other's answer.
        const early = round % 2 === 0 ? run(move(round), (round) => round + 100) : undefined;
        if (await ownAnswerOrAborted(first.join(), round)) answersKept++;
        const next = early ?? run(move(round), (round) => round + 100);
        expect(await next.join()).toBe(round + 100);
        // And the one after it.
        expect(await run(move(round), (round) => round + 200).join()).toBe(round + 200);
      }
      // The thread had answered 20 ms before its abort: its answer is what join gives.
      expect(answersKept).toBeGreaterThan(0);
      await close();
    });
  }

  it('an answer in the mailbox (a small bytes-only result) is kept, and the worker is not stopped', async () => {
    const pool = new ThreadPool({ size: 1 });
    let workerKept = 0;
    for (let round = 0; round < 4; round++) {
      const flag = new Int32Array(new SharedArrayBuffer(12));
      const first = pool.spawn(move(flag, round), gatedTask);
      await answerWhileBlocked(flag);
      first.abort();
      // A worker that abort() stops leaves the pool when its answer is processed; one that
      // had answered is not stopped and stays.
      if ((await ownAnswerOrAborted(first.join(), round)) && pool.threads === 1) workerKept++;
      expect(await pool.spawn(move(round), (round) => -round).join()).toBe(-round);
    }
    expect(workerKept).toBeGreaterThan(0);
    await pool.close();
  });
});
