import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runs } from '../codec/settings.js';
import { channel, NotCloneableError, RecvError, RecvTimeoutError, SendError, UseAfterMoveError, InvalidArgumentError } from 'fearless';

// Values behind `any` are what the run-time checks are for: the types stop everything else.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Untyped = any;

// Ported from the intent of Rust's std::sync::mpsc tests (library/std/src/sync/mpsc/tests.rs).
describe('channel', () => {
  it('smoke: a value sent is received', async () => {
    const [tx, rx] = channel<number>();
    tx.send(1);
    expect(await rx.recv()).toBe(1);
  });

  it('keeps the order of messages from one sender', () => {
    const [tx, rx] = channel<string>();
    for (let index = 0; index < 1000; index++) tx.send(`m${index}`);
    expect([...rx.tryIter()]).toEqual(Array.from({ length: 1000 }, (_, index) => `m${index}`));
  });

  it('smoke_port_gone: send throws SendError carrying the value once the receiver is dropped', () => {
    const [tx, rx] = channel<{ id: number }>();
    rx.close();
    const value = { id: 7 };
    let caught: unknown;
    try {
      tx.send(value);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SendError);
    expect((caught as SendError<{ id: number }>).value).toBe(value);
    expect((caught as SendError).code).toBe('FEARLESS_SEND');
  });

  it('smoke_chan_gone: recv rejects with RecvError once every sender is gone and the queue is empty', async () => {
    const [tx, rx] = channel<number>();
    tx.close();
    await expect(rx.recv()).rejects.toBeInstanceOf(RecvError);
    expect(() => rx.recvSync()).toThrow(RecvError);
  });

  it('delivers messages sent before the last sender was dropped, then ends', async () => {
    const [tx, rx] = channel<number>();
    tx.send(1);
    tx.send(2);
    tx.close();
    expect(await rx.recv()).toBe(1);
    expect(rx.recvSync()).toBe(2);
    await expect(rx.recv()).rejects.toBeInstanceOf(RecvError);
  });

  it('chan_gone_shared: the stream ends only when every clone is dropped', () => {
    const [tx, rx] = channel<number>();
    const tx2 = tx.clone();
    tx.close();
    tx2.send(5);
    expect(rx.tryRecv()).toEqual({ ok: true, value: 5 });
    expect(rx.tryRecv()).toEqual({ ok: false, disconnected: false });
    tx2[Symbol.dispose]();
    expect(rx.tryRecv()).toEqual({ ok: false, disconnected: true });
  });

  it('try_recv states: empty, value, disconnected', () => {
    const [tx, rx] = channel<number>();
    expect(rx.tryRecv()).toEqual({ ok: false, disconnected: false });
    tx.send(3);
    expect(rx.tryRecv()).toEqual({ ok: true, value: 3 });
    tx.close();
    expect(rx.tryRecv()).toEqual({ ok: false, disconnected: true });
  });

  it('recv_timeout: times out with disconnected false, or reports disconnection', async () => {
    const [tx, rx] = channel<number>();
    const timedOut = await rx.recvTimeout(10).catch((error: unknown) => error);
    expect(timedOut).toBeInstanceOf(RecvTimeoutError);
    expect((timedOut as RecvTimeoutError).disconnected).toBe(false);
    tx.send(4);
    expect(await rx.recvTimeout(1000)).toBe(4);
    tx.close();
    const ended = await rx.recvTimeout(1000).catch((error: unknown) => error);
    expect((ended as RecvTimeoutError).disconnected).toBe(true);
  });

  it('recv_timeout wakes up for a message sent while it waits', async () => {
    const [tx, rx] = channel<string>();
    setTimeout(() => tx.send('late'), 5);
    expect(await rx.recvTimeout(10_000)).toBe('late');
  });

  it('recv waits without blocking the event loop and wakes when a sender is dropped', async () => {
    const [tx, rx] = channel<number>();
    const pending = rx.recv();
    let ticked = false;
    await new Promise<void>((resolve) => setImmediate(() => ((ticked = true), resolve())));
    expect(ticked).toBe(true);
    tx.close();
    await expect(pending).rejects.toBeInstanceOf(RecvError);
  });

  it('several pending recv() calls on one receiver are all served, in order', async () => {
    const [tx, rx] = channel<number>();
    const pending = Promise.all([rx.recv(), rx.recv(), rx.recv()]);
    await new Promise((resolve) => setImmediate(resolve));
    tx.send(1);
    tx.send(2);
    tx.send(3);
    expect(await pending).toEqual([1, 2, 3]);
  });

  it('rejects a negative timeout naming the parameter', async () => {
    const [, rx] = channel<number>();
    await expect(rx.recvTimeout(-1)).rejects.toThrow(InvalidArgumentError);
    await expect(rx.recvTimeout(-1)).rejects.toThrow(/recvTimeout\(ms\)/);
  });

  it('async iteration ends when every sender is gone', async () => {
    const [tx, rx] = channel<number>();
    const tx2 = tx.clone();
    tx.send(1);
    tx2.send(2);
    tx.close();
    setTimeout(() => {
      tx2.send(3);
      tx2.close();
    }, 1);
    const seen: number[] = [];
    for await (const value of rx) seen.push(value);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('iterSync drains then ends; tryIter takes only what is there', () => {
    const [tx, rx] = channel<number>();
    tx.send(1);
    tx.send(2);
    expect([...rx.tryIter()]).toEqual([1, 2]);
    tx.send(3);
    tx.close();
    expect([...rx.iterSync()]).toEqual([3]);
  });

  it('a closed handle throws UseAfterMoveError saying so; close and dispose are idempotent', () => {
    const [tx, rx] = channel<number>();
    tx.close();
    tx.close();
    expect(() => tx.send(1)).toThrow(UseAfterMoveError);
    expect(() => tx.send(1)).toThrow(/Sender was closed/);
    expect(() => tx.clone()).toThrow(UseAfterMoveError);
    rx[Symbol.dispose]();
    expect(() => rx.tryRecv()).toThrow(/Receiver was closed/);
  });

  it('a value that cannot be cloned fails at send naming its path, and the channel stays usable', () => {
    const [tx, rx] = channel<Untyped>();
    let caught: unknown;
    try {
      tx.send({ items: [{ ok: 1 }, { cb: () => 0 }] });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(NotCloneableError);
    expect((caught as NotCloneableError).path).toBe('.items[1].cb');
    expect((caught as Error).message).toMatch(/\.items\[1\]\.cb .*functions cannot cross/);
    expect(() => tx.send(new Map([['k', Promise.resolve(1)]]))).toThrow(/\.get\("k"\).*Promise or thenable/);
    expect(() => tx.send([Symbol('s')])).toThrow(/\[0\].*symbols/);
    expect(() => tx.send({ 'odd key': new WeakMap() })).toThrow(/\["odd key"\].*WeakMap/);
    class Job {
      run(): void {}
    }
    expect(() => tx.send({ job: new Job() })).toThrow(/\.job.*instance of Job has methods/);
    tx.send('still fine');
    expect(rx.tryRecv()).toEqual({ ok: true, value: 'still fine' });
    expect(rx.tryRecv()).toEqual({ ok: false, disconnected: false });
  });

  it('sends a bare number exactly as it is: int32s in 8-byte records, -0, NaN and the rest as float64', () => {
    const [tx, rx] = channel<number>();
    const edges = [0, -0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, -(2 ** 31) - 1, 0.5, -1e-300, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE];
    for (const number of edges) tx.send(number);
    for (const number of edges) {
      const received = rx.tryRecv();
      expect(received.ok && Object.is(received.value, number), `${Object.is(number, -0) ? '-0' : number}`).toBe(true);
    }
    // Any double, interleaved with int32s (the two record sizes alternate in the ring).
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double(), fc.integer()), { maxLength: 200 }), (numbers) => {
        for (const number of numbers) tx.send(number);
        for (const number of numbers) {
          const received = rx.tryRecv();
          if (!received.ok || !Object.is(received.value, number)) return false;
        }
        return rx.tryRecv().ok === false;
      }),
      runs(200),
    );
  });

  it('copies plain data faithfully', () => {
    class Point {
      x = 1;
      y = 2;
    }
    const value = {
      numbers: [0, -0, 1.5, -(2 ** 31), 2 ** 31, Number.NaN, Number.POSITIVE_INFINITY],
      strings: ['', 'ascii', 'latin1 é', 'ĀĀ wide', '😀 astral', '\ud800 lone', 'x'.repeat(300), 'é'.repeat(300), 'Ā'.repeat(300)],
      flags: [true, false, null, undefined],
      big: [0n, 123456789012345678901234567890n, -42n],
      // eslint-disable-next-line no-sparse-arrays
      sparse: [1, , 3],
      nested: { deeper: { deepest: [{}] } },
      date: new Date(1234),
      regexp: /a.b/giu,
      map: new Map<unknown, unknown>([['a', 1], [2, { b: [3] }]]),
      set: new Set([1, 'two', 3n]),
      error: new RangeError('bad range'),
      point: new Point(),
      ['__proto__']: 'own field',
    };
    const [tx, rx] = channel<Untyped>();
    tx.send(value);
    const received = rx.tryRecv();
    expect(received.ok).toBe(true);
    const copy = (received as { value: typeof value }).value;
    expect(copy).toEqual({ ...value, point: { x: 1, y: 2 } });
    expect(Object.is(copy.numbers[1], -0)).toBe(true);
    expect(copy.error).toBeInstanceOf(RangeError);
    expect(copy.error.message).toBe('bad range');
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toContain('__proto__');
    expect(1 in copy.sparse).toBe(false);
  });

  it('copies values too deep for the byte codec (cycles included) through v8.serialize', () => {
    type Node = { next?: Node; depth: number };
    let list: Node = { depth: 0 };
    for (let depth = 1; depth < 500; depth++) list = { next: list, depth };
    const cyclic: { self?: unknown; name: string } = { name: 'loop' };
    cyclic.self = cyclic;
    const [tx, rx] = channel<Untyped>();
    tx.send(list);
    tx.send(cyclic);
    const deep = rx.recvSync() as Node;
    let length = 0;
    for (let node: Node | undefined = deep; node !== undefined; node = node.next) length++;
    expect(length).toBe(500);
    const loop = rx.recvSync() as typeof cyclic;
    expect(loop.self).toBe(loop);
  });

  it('grows its storage so that no message is dropped, across many wrap-arounds', () => {
    const [tx, rx] = channel<{ index: number; text: string }>();
    let sent = 0;
    let received = 0;
    const wrong: unknown[] = [];
    const check = (message: { index: number; text: string }): void => {
      if (message.index !== received || message.text.length !== (received + 1) % 300) wrong.push(message);
      received++;
    };
    for (let round = 0; round < 40; round++) {
      for (let index = 0; index < 2000 + round * 100; index++) tx.send({ index: sent++, text: 'x'.repeat(sent % 300) });
      for (let index = 0; index < 1500; index++) check(rx.recvSync());
    }
    for (const message of rx.tryIter()) check(message);
    expect(wrong).toEqual([]);
    expect(received).toBe(sent);
  });
});
