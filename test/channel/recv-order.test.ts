import { describe, expect, it } from 'vitest';
import { channel, move, spawn, type Receiver, type Sender } from 'fearless';

type Message = { readonly i: number; readonly via: string } | [{ readonly i: number; readonly via: string }, ArrayBuffer];

describe('concurrent recv() calls on one receiver', () => {
  // Each waiting recv() used to wake on its own waitAsync, and whichever resumed first took the
  // next message: the differential codec test saw a hub message arrive at the byte path's recv.
  it('get the messages in the order the calls were made, bytes and hub messages mixed', async () => {
    const [toWorker, inbox] = channel<Message>();
    const [outbox, fromWorker] = channel<Message>();
    const echo = spawn(move(inbox, outbox), (inbox: Receiver<Message>, outbox: Sender<Message>) => {
      for (const message of inbox.iterSync()) outbox.send(message);
    });
    const order: string[] = [];
    for (let i = 0; i < 300; i++) {
      const first = (async () => {
        toWorker.send({ i, via: 'bytes' });
        return fromWorker.recv();
      })();
      const second = (async () => {
        toWorker.send([{ i, via: 'hub' }, new ArrayBuffer(8)]);
        return fromWorker.recvTimeout(10_000);
      })();
      const [a, b] = await Promise.all([first, second]);
      order.push(`${Array.isArray(a) ? 'hub' : a.via}>${Array.isArray(b) ? 'hub' : b.via}`);
    }
    expect(order.filter((pair) => pair !== 'bytes>hub')).toEqual([]);
    toWorker.close();
    await echo.join();
    fromWorker.close();
  });

});
