import { describe, expect, it } from 'vitest';
import { channel, move, spawn, syncChannel } from 'fearless';

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
