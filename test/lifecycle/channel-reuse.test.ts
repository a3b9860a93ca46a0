import { describe, expect, it } from 'vitest';
import { type Receiver, SendError, SyncSender, channel, move, select, spawn, syncChannel } from 'fearless';

describe('closed channels give their memory back at once (reused, not left to the collector)', () => {
  it('a channel made after one closed on both ends starts empty and works', () => {
    for (let round = 0; round < 200; round++) {
      const [tx, rx] = round % 2 === 0 ? channel<number>() : syncChannel<number>(2);
      expect(rx.tryRecv()).toEqual({ ok: false, disconnected: false });
      if ('trySend' in tx) expect(tx.trySend(round)).toBe(true);
      else tx.send(round);
      expect(rx.tryRecv()).toEqual({ ok: true, value: round });
      // Leave a message queued in some rounds: the next channel must not see it.
      if (round % 3 === 0) {
        if ('trySend' in tx) tx.trySend(-1);
        else tx.send(-1);
      }
      tx.close();
      rx.close();
    }
  });

  it('handles of a closed channel stay closed when its memory is reused', () => {
    const [oldTx, oldRx] = channel<number>();
    oldTx.close();
    oldRx.close();
    const [tx, rx] = channel<number>();
    expect(() => oldTx.send(1)).toThrow(/closed/);
    oldTx.close(); // idempotent: must not drop a sender of the new channel
    oldRx.close();
    tx.send(7);
    expect(rx.tryRecv()).toEqual({ ok: true, value: 7 });
    tx.close();
    expect(rx.tryRecv()).toEqual({ ok: false, disconnected: true });
  });

  it('a channel whose handle went to another thread is never reused under it', async () => {
    const [tx, rx] = channel<number>();
    const echo = spawn(move(tx), (tx) => {
      tx.send(1);
      return 'sent';
    });
    expect(await echo.join()).toBe('sent');
    expect(await rx.recv()).toBe(1);
    rx.close();
    const [tx2, rx2] = channel<number>();
    tx2.send(2);
    expect(await rx2.recv()).toBe(2);
  });
});

/**
 * Issue 20 item 1: a closed channel's memory goes to the next channel only once no operation of
 * the old one is still under way (connection.ts, "reuse"). Each case closes both ends while an
 * operation waits, makes a new channel at once (the one that would get the memory) and checks
 * that the old operation ends the way it should and the new channel is untouched.
 */
describe('an operation still under way on a closed channel never touches the channel made after it', () => {
  /** Lets pending promise callbacks and waitAsync wake-ups run. */
  const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  /** Settles like `promise`, or rejects when it has not after `ms`: a hang fails the test. */
  const within = <T>(promise: Promise<T>, ms = 5000): Promise<T> =>
    Promise.race([promise, new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms))]);

  it('a bounded send waiting for room rejects with SendError and delivers nothing to the new channel', async () => {
    const [tx, rx] = syncChannel<number>(1);
    expect(tx.trySend(1)).toBe(true);
    const pending = tx.send(2);
    tx.close();
    rx.close();
    const [tx2, rx2] = syncChannel<number>(1);
    const error = await within(pending.then(() => undefined, (caught: unknown) => caught));
    expect(error).toBeInstanceOf(SendError);
    expect((error as SendError<number>).value).toBe(2);
    expect(rx2.tryRecv()).toEqual({ ok: false, disconnected: false });
    expect(tx2.trySend(3)).toBe(true);
    expect(rx2.tryRecv()).toEqual({ ok: true, value: 3 });
    tx2.close();
    rx2.close();
  });

  it('a pending rendezvous send rejects with SendError instead of hanging', async () => {
    const [tx, rx] = syncChannel<number>(0);
    const pending = tx.send(1);
    await turn();
    tx.close();
    rx.close();
    const [tx2, rx2] = syncChannel<number>(0);
    const error = await within(pending.then(() => undefined, (caught: unknown) => caught));
    expect(error).toBeInstanceOf(SendError);
    expect(rx2.tryRecv()).toEqual({ ok: false, disconnected: false });
    tx2.close();
    rx2.close();
  });

  for (const how of ['recv', 'select'] as const) {
    it(`a pending ${how}() on a cloned receiver does not write the new channel's wake-up word`, async () => {
      const [tx, rx] = channel<number>();
      const clone = rx.clone();
      const pending = (how === 'recv' ? clone.recv() : select([clone])).catch((caught: unknown) => caught);
      await turn();
      tx.close();
      rx.close();
      clone.close();
      // The new channel's receiver goes to sleep before the old wait's wake-up is processed.
      const [tx2, rx2] = channel<number>();
      const next = rx2.recv();
      await within(pending);
      await turn();
      tx2.send(5);
      expect(await within(next)).toBe(5);
      tx2.close();
      rx2.close();
    });
  }

  it('a getter that closes both ends during send() does not deliver its value to the new channel', () => {
    for (const bounded of [false, true]) {
      const [tx, rx] = bounded ? syncChannel<{ n: number }>(4) : channel<{ n: number }>();
      let fresh: [{ close(): void }, Receiver<{ n: number }>] | undefined;
      const value = {
        get n(): number {
          tx.close();
          rx.close();
          fresh = bounded ? syncChannel<{ n: number }>(4) : channel<{ n: number }>();
          return 1;
        },
      };
      const refused = (): unknown => {
        try {
          if (tx instanceof SyncSender) tx.trySend(value);
          else tx.send(value);
        } catch (error) {
          return error;
        }
        return undefined;
      };
      expect(refused()).toBeInstanceOf(SendError);
      expect(fresh![1].tryRecv()).toEqual({ ok: false, disconnected: false });
      fresh![0].close();
      fresh![1].close();
    }
  });
});
