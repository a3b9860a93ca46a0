import { describe, expect, it } from 'vitest';
import {
  AtomicI32,
  Barrier,
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
