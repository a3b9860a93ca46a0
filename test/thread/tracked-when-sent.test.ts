import { describe, expect, it } from 'vitest';
import { Mutex, PoisonError, SendError, channel, move, spawn, type Sender } from 'fearless';

// State a worker makes itself is tracked by the main thread only when a handle of it is first
// sent (src/wire/context.ts ownNew/trackSent): these fail if the send forgets to track, since
// the main thread then has nothing to clean up when the worker dies.
describe('state a worker made and sent, when that worker dies', () => {
  it('a Mutex it holds is poisoned and released', async () => {
    const [tx, rx] = channel<Mutex<number>>();
    const holder = spawn(move(tx), async (tx) => {
      const lock = new Mutex(1);
      const guard = lock.lockSync();
      guard.value = 2;
      tx.send(lock);
      for (;;) await new Promise((resolve) => setTimeout(resolve, 1_000));
    });
    const lock = await rx.recv();
    expect(lock.tryLock()).toBeUndefined();
    holder.abort();
    await holder.join().catch(() => undefined);
    const error = await lock.lock().then(
      () => undefined,
      (rejection: unknown) => rejection,
    );
    expect(error).toBeInstanceOf(PoisonError);
    using guard = await (error as PoisonError<Promise<import('fearless').MutexGuard<number>>>).intoInner();
    expect(guard.value).toBe(2);
  });

  it("a channel's receiver it kept is gone: a send to it fails", async () => {
    const [tx, rx] = channel<Sender<number>>();
    const holder = spawn(move(tx), async (tx) => {
      const [inner, innerRx] = channel<number>();
      tx.send(inner);
      for (;;) {
        innerRx.tryRecv();
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    });
    const inner = await rx.recv();
    inner.send(1);
    holder.abort();
    await holder.join().catch(() => undefined);
    expect(() => inner.send(2)).toThrow(SendError);
  });
});
