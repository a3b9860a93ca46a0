import { describe, expect, it } from 'vitest';
import { channel, syncChannel, InvalidArgumentError, RecvError, SendError, UseAfterMoveError } from 'fearless';
import type { ProducedMessage } from '../../dist/test/fixtures/channel/worker.js';
import { revive, simulateThreadDeath, startWorker } from './workers.js';

/** Checks that every producer's messages all arrived, exactly once and in its order. */
function checkArrivals(received: readonly ProducedMessage[], producers: number, count: number): void {
  const next = new Array<number>(producers).fill(0);
  const outOfOrder: ProducedMessage[] = [];
  for (const message of received) {
    if (message.sequence !== next[message.producer]) outOfOrder.push(message);
    next[message.producer] = message.sequence + 1;
  }
  expect(outOfOrder.slice(0, 5)).toEqual([]);
  expect(next).toEqual(new Array<number>(producers).fill(count));
  expect(received.length).toBe(producers * count);
}

describe('channels across threads', () => {
  it('stress: 8 producer threads × 10k messages each arrive exactly once, in per-producer order', async () => {
    const [tx, rx] = channel<ProducedMessage>();
    const workers = Array.from({ length: 8 }, (_, id) =>
      startWorker({ scenario: 'produce', slot: id + 1, id, count: 10_000 }, [tx.clone()]),
    );
    tx.close();
    const received: ProducedMessage[] = [];
    for await (const message of rx) received.push(message);
    checkArrivals(received, 8, 10_000);
    await Promise.all(workers.map((worker) => worker.exited));
  });

  it('stress with backpressure: 8 producers block on a bounded channel while the main thread drains it', async () => {
    const [tx, rx] = syncChannel<ProducedMessage>(16);
    const workers = Array.from({ length: 8 }, (_, id) =>
      startWorker({ scenario: 'produce-sync', slot: id + 1, id, count: 2_000 }, [tx.clone()]),
    );
    tx.close();
    const received: ProducedMessage[] = [];
    for await (const message of rx) received.push(message);
    checkArrivals(received, 8, 2_000);
    await Promise.all(workers.map((worker) => worker.exited));
  });

  it('a receiver moved into a worker receives with recvSync until the senders are gone', async () => {
    const [tx, rx] = channel<{ n: number } | string>();
    const consumer = startWorker({ scenario: 'consume', slot: 1 }, [rx]);
    expect(() => rx.tryRecv()).toThrow(UseAfterMoveError);
    expect(() => rx.tryRecv()).toThrow(/moved to another thread/);
    for (let n = 0; n < 5000; n++) tx.send(n % 2 === 0 ? { n } : `s${n}`);
    tx.close();
    const { received } = await consumer.next<{ received: unknown[] }>();
    expect(received).toHaveLength(5000);
    expect(received[4998]).toEqual({ n: 4998 });
    expect(received[4999]).toBe('s4999');
    expect(await consumer.exited).toBe(0);
  });

  it('port_gone_concurrent: a sender in another thread gets SendError once the receiver is dropped', async () => {
    const [tx, rx] = channel<ProducedMessage>();
    const producer = startWorker({ scenario: 'produce', slot: 1, id: 0, count: 1e9 }, [tx]);
    expect(() => tx.send({ producer: 0, sequence: 0 })).toThrow(UseAfterMoveError);
    await rx.recv();
    rx.close();
    const failure = await producer.exited.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((failure as Error).name).toBe('SendError');
  });

  it('rendezvous: sendSync in a worker completes only once the receiver takes the message', async () => {
    const [tx, rx] = syncChannel<string>(0);
    const sender = startWorker({ scenario: 'rendezvous-send', slot: 1 }, [tx]);
    expect(await sender.next()).toBe('sending');
    let sent = false;
    const sentMessage = sender.next().then(() => (sent = true));
    // Give a broken implementation every chance to report early.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sent).toBe(false);
    expect(await rx.recv()).toBe('hand-over');
    await sentMessage;
    expect(sent).toBe(true);
    await expect(rx.recv()).rejects.toBeInstanceOf(RecvError);
  });

  it('a dead thread releases exactly the senders it held, and messages it sent are not lost', async () => {
    const [tx, rx] = channel<ProducedMessage | number>();
    const holder = startWorker({ scenario: 'produce', slot: 3, id: 0, count: 100, keepOpen: true }, [tx.clone()]);
    expect(await holder.next()).toBe('sent');
    await holder.worker.terminate();
    // What the thread runtime does when a worker dies: release the dead slot's share.
    simulateThreadDeath(tx, 'fearless.sender', 3);
    // The main thread's own sender is still there: the stream has not ended.
    expect(rx.tryRecv()).toEqual({ ok: true, value: { producer: 0, sequence: 0 } });
    tx.send(-1);
    const rest = [...rx.tryIter()];
    expect(rest).toHaveLength(100);
    expect(rest.at(-1)).toBe(-1);
    tx.close();
    expect(rx.tryRecv()).toEqual({ ok: false, disconnected: true });
  });

  it('a dead thread holding the receiver makes later sends fail with SendError', async () => {
    const [tx, rx] = channel<number>();
    const holder = startWorker({ scenario: 'hold', slot: 5 }, [rx]);
    expect(await holder.next()).toBe('holding');
    tx.send(1);
    await holder.worker.terminate();
    simulateThreadDeath(tx, 'fearless.receiver', 5);
    expect(() => tx.send(2)).toThrow(SendError);
  });

  it('refuses to revive a descriptor without its buffers, naming the kind', () => {
    expect(() => revive({ kind: 'fearless.receiver', buffers: [], data: {} })).toThrow(InvalidArgumentError);
    expect(() => revive({ kind: 'fearless.sender', buffers: [new SharedArrayBuffer(8)], data: {} })).toThrow(
      /'fearless\.sender' descriptor needs its control and growable data buffers/,
    );
  });
});
