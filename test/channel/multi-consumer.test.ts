import { describe, expect, it } from 'vitest';
import { RecvError, SendError, UseAfterMoveError, channel, syncChannel } from 'fearless';
import { deliverOnce, sendErrorAfterLastReceiver } from '../../dist/test/fixtures/channel/multi-consumer.js';

describe('Receiver.clone(): several consumers', () => {
  it('4 consumer threads × 100k messages: every message delivered exactly once', async () => {
    const { counts, perConsumer } = await deliverOnce(4, 100_000);
    expect(counts.length).toBe(400_000);
    const wrong = counts.flatMap((count, value) => (count === 1 ? [] : [{ value, count }]));
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(perConsumer.reduce((a, b) => a + b, 0)).toBe(400_000);
  });

  it('on a bounded channel too (producers wait for room that any consumer makes)', async () => {
    const { counts } = await deliverOnce(3, 2_000, 4);
    expect(counts.every((count) => count === 1)).toBe(true);
  });

  it('each message goes to one receiver; both see the end of the stream', async () => {
    const [tx, rx] = channel<number>();
    const other = rx.clone();
    for (let value = 0; value < 10; value++) tx.send(value);
    tx.close();
    const got: number[] = [];
    for (;;) {
      const first = rx.tryRecv();
      const second = other.tryRecv();
      if (first.ok) got.push(first.value);
      if (second.ok) got.push(second.value);
      if (!first.ok && !second.ok) {
        expect(first).toEqual({ ok: false, disconnected: true });
        expect(second).toEqual({ ok: false, disconnected: true });
        break;
      }
    }
    expect(got.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await expect(rx.recv()).rejects.toThrow(RecvError);
    expect(() => other.recvSync()).toThrow(RecvError);
  });

  it('senders get SendError only once every receiver is gone', () => {
    const [tx, rx] = channel<number>();
    const second = rx.clone();
    const third = second.clone();
    rx.close();
    second.close();
    tx.send(1);
    expect(third.tryRecv()).toEqual({ ok: true, value: 1 });
    third.close();
    expect(() => tx.send(2)).toThrow(SendError);
  });

  it('a clone dropped with its thread counts as gone; the last receiver closing ends sends', async () => {
    expect(await sendErrorAfterLastReceiver()).toEqual({ afterThread: 'still one receiver', afterLast: 'SendError' });
  });

  it('a recv() pending when the receiver is cloned still gets the next message', async () => {
    const [tx, rx] = channel<string>();
    const pending = rx.recv();
    const clone = rx.clone();
    tx.send('first');
    expect(await pending).toBe('first');
    tx.send('second');
    expect(await clone.recv()).toBe('second');
  });

  it('async receivers on clones all wake as messages come, each taking a different one', async () => {
    const [tx, rx] = channel<number>();
    const receivers = [rx, rx.clone(), rx.clone()];
    const pending = receivers.map((receiver) => receiver.recv());
    tx.send(1);
    tx.send(2);
    tx.send(3);
    expect((await Promise.all(pending)).sort()).toEqual([1, 2, 3]);
  });

  it('a rendezvous send completes when any receiver takes the message', async () => {
    const [tx, rx] = syncChannel<string>(0);
    const clone = rx.clone();
    const sent = tx.send('meet');
    expect(await clone.recv()).toBe('meet');
    await sent;
    rx.close();
    clone.close();
    await expect(tx.send('late')).rejects.toThrow(SendError);
  });

  it('a closed clone is unusable; the other receivers are not affected', () => {
    const [tx, rx] = channel<number>();
    const clone = rx.clone();
    clone.close();
    expect(() => clone.tryRecv()).toThrow(UseAfterMoveError);
    expect(() => clone.clone()).toThrow(UseAfterMoveError);
    tx.send(4);
    expect(rx.tryRecv()).toEqual({ ok: true, value: 4 });
  });
});
