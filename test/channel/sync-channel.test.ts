import { describe, expect, it } from 'vitest';
import { syncChannel, InvalidArgumentError, RecvError, SendError } from 'fearless';

/** Lets every pending promise callback and I/O phase run once. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('syncChannel', () => {
  it('bounded backpressure: trySend reports full at the bound and has room again after a recv', () => {
    const [tx, rx] = syncChannel<number>(2);
    expect(tx.trySend(1)).toBe(true);
    expect(tx.trySend(2)).toBe(true);
    expect(tx.trySend(3)).toBe(false);
    expect(rx.tryRecv()).toEqual({ ok: true, value: 1 });
    expect(tx.trySend(3)).toBe(true);
    expect([...rx.tryIter()]).toEqual([2, 3]);
  });

  it('send waits for room without blocking the event loop, and completes when the receiver takes a message', async () => {
    const [tx, rx] = syncChannel<string>(1);
    await tx.send('first');
    let done = false;
    const second = tx.send('second').then(() => (done = true));
    await turn();
    await turn();
    expect(done).toBe(false);
    expect(await rx.recv()).toBe('first');
    await second;
    expect(rx.tryRecv()).toEqual({ ok: true, value: 'second' });
  });

  it('a send waiting for room keeps its own bytes while later sends encode other values on the same thread', async () => {
    // A send that finds the queue full copies its bytes out of the encoder (message.ts `keep`):
    // the next encode on this thread reuses that buffer. Without the copy, the waiting send
    // would publish a later message's bytes.
    const [tx, rx] = syncChannel<{ n: number; text: string }>(1);
    const [otherTx, otherRx] = syncChannel<{ n: number; text: string }>(8);
    const sends: Promise<void>[] = [];
    for (let n = 0; n < 5; n++) {
      sends.push(tx.send({ n, text: `message ${n} `.repeat(n + 1) }));
      await otherTx.send({ n: 100 + n, text: 'other'.repeat(n) });
    }
    const received: { n: number; text: string }[] = [];
    for (let index = 0; index < 5; index++) received.push(await rx.recv());
    await Promise.all(sends);
    expect(received).toEqual([0, 1, 2, 3, 4].map((n) => ({ n, text: `message ${n} `.repeat(n + 1) })));
    expect([...otherRx.tryIter()].map((message) => message.n)).toEqual([100, 101, 102, 103, 104]);
  });

  it('rendezvous: send completes only once the receiver has taken the message', async () => {
    const [tx, rx] = syncChannel<number>(0);
    let done = false;
    const sent = tx.send(42).then(() => (done = true));
    await turn();
    await turn();
    expect(done).toBe(false);
    expect(await rx.recv()).toBe(42);
    await sent;
    expect(done).toBe(true);
  });

  it('rendezvous: trySend fails unless the receiver is waiting', async () => {
    const [tx, rx] = syncChannel<number>(0);
    expect(tx.trySend(1)).toBe(false);
    expect(rx.tryRecv()).toEqual({ ok: false, disconnected: false });
    const received = rx.recv();
    await turn();
    expect(tx.trySend(2)).toBe(true);
    expect(await received).toBe(2);
  });

  it('a sender waiting for room gets SendError when the receiver is dropped', async () => {
    const [tx, rx] = syncChannel<number>(1);
    tx.sendSync(1);
    const waiting = tx.send(2);
    await turn();
    rx.close();
    const error = await waiting.catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(SendError);
    expect((error as SendError<number>).value).toBe(2);
    expect(() => tx.trySend(3)).toThrow(SendError);
    expect(() => tx.sendSync(3)).toThrow(SendError);
  });

  it('a rendezvous sender whose message is never taken gets SendError when the receiver goes', async () => {
    const [tx, rx] = syncChannel<string>(0);
    const waiting = tx.send('never taken');
    await turn();
    rx.close();
    const error = await waiting.catch((failure: unknown) => failure);
    expect((error as SendError<string>).value).toBe('never taken');
  });

  it('the receiver sees the end once every sync sender is gone', async () => {
    const [tx, rx] = syncChannel<number>(3);
    const other = tx.clone();
    tx.sendSync(1);
    tx.close();
    await other.send(2);
    other[Symbol.dispose]();
    expect([...rx.iterSync()]).toEqual([1, 2]);
    await expect(rx.recv()).rejects.toBeInstanceOf(RecvError);
  });

  it('rejects a bound that is not a whole number ≥ 0, naming the parameter', () => {
    expect(() => syncChannel<number>(-1)).toThrow(InvalidArgumentError);
    expect(() => syncChannel<number>(1.5)).toThrow(/syncChannel\(bound\)/);
    expect(() => syncChannel<number>(Number.NaN)).toThrow(/whole number/);
  });
});
