import { describe, expect, it } from 'vitest';
import { channel, move, spawn, syncChannel, RecvError, SendError, ThreadPanic, UseAfterMoveError, type RecvTimeoutError, type Sender } from 'fearless';

// A value behind `any` is what the run-time check is for.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Untyped = any;

const range = (count: number): number[] => Array.from({ length: count }, (_, index) => index);

describe('channels with spawn', () => {
  it('a sender moved into a thread is dropped when its task ends, which ends the stream', async () => {
    const [tx, rx] = channel<number>();
    const producer = spawn(move(tx), (tx) => {
      for (let index = 0; index < 100; index++) tx.send(index);
    });
    expect(() => tx.send(1)).toThrow(UseAfterMoveError);
    const received: number[] = [];
    for await (const value of rx) received.push(value);
    expect(received).toEqual(range(100));
    await producer.join();
  });

  it('a receiver moved into a thread receives with iterSync until the senders are gone', async () => {
    const [tx, rx] = channel<number>();
    const consumer = spawn(move(rx), (rx) => {
      let sum = 0;
      for (const value of rx.iterSync()) sum += value;
      return sum;
    });
    for (let index = 0; index < 1000; index++) tx.send(index);
    tx.close();
    expect(await consumer.join()).toBe(499_500);
  });

  it('senders travel inside messages of another channel and keep the reply stream open until dropped', async () => {
    const [replyTx, replyRx] = channel<string>();
    const [jobsTx, jobsRx] = channel<{ name: string; reply: Sender<string> }>();
    const worker = spawn(move(jobsRx), (jobsRx) => {
      for (const job of jobsRx.iterSync()) {
        job.reply.send(`hello ${job.name}`);
        job.reply.close();
      }
    });
    jobsTx.send({ name: 'a', reply: replyTx.clone() });
    jobsTx.send({ name: 'b', reply: replyTx });
    expect(() => replyTx.send('too late')).toThrow(/moved to another thread/);
    jobsTx.close();
    const replies: string[] = [];
    for await (const reply of replyRx) replies.push(reply);
    expect(replies).toEqual(['hello a', 'hello b']);
    await worker.join();
  });

  it('a receiver sent through a channel keeps receiving in the thread that takes it', async () => {
    const [dataTx, dataRx] = channel<number>();
    const [handoffTx, handoffRx] = syncChannel<typeof dataRx>(1);
    const worker = spawn(move(handoffRx), (handoffRx) => {
      const inbox = handoffRx.recvSync();
      return [...inbox.iterSync()];
    });
    dataTx.send(1);
    await handoffTx.send(dataRx);
    expect(() => dataRx.tryRecv()).toThrow(UseAfterMoveError);
    dataTx.send(2);
    dataTx.close();
    expect(await worker.join()).toEqual([1, 2]);
  });

  it('async receiving works inside a thread too: recvTimeout times out, then gets a message', async () => {
    const [tx, rx] = channel<string>();
    const [readyTx, readyRx] = channel<boolean>();
    const consumer = spawn(move(rx, readyTx), async (rx, readyTx) => {
      const first = await rx.recvTimeout(10).catch((error: unknown) => (error as RecvTimeoutError).disconnected);
      readyTx.send(first === false);
      return await rx.recvTimeout(10_000);
    });
    expect(await readyRx.recv()).toBe(true);
    tx.send('late');
    expect(await consumer.join()).toBe('late');
  });

  it('transfer detaches an ArrayBuffer sent in a message, on the main thread and across threads', async () => {
    const [tx, rx] = channel<{ data: ArrayBuffer }>();
    const local = new Uint8Array([1, 2, 3]).buffer;
    tx.send({ data: local });
    expect(local.byteLength).toBe(0);
    expect([...new Uint8Array(rx.recvSync().data)]).toEqual([1, 2, 3]);

    const consumer = spawn(move(rx), (rx) => {
      const { data } = rx.recvSync();
      return new Uint8Array(data).reduce((sum, byte) => sum + byte, 0);
    });
    const shipped = new Uint8Array([10, 20, 30]).buffer;
    tx.send({ data: shipped });
    expect(shipped.byteLength).toBe(0);
    expect(await consumer.join()).toBe(60);
  });

  it('a message with buffers and a function fails naming the path, and nothing is detached', () => {
    const [tx, rx] = channel<Untyped>();
    const buffer = new ArrayBuffer(4);
    expect(() => tx.send({ buffer, nested: [{ cb: () => 0 }] })).toThrow(/channel send at \.nested\[0\]\.cb cannot cross/);
    expect(buffer.byteLength).toBe(4);
    tx.send({ buffer });
    expect(rx.recvSync()).toEqual({ buffer: new Uint8Array(4).buffer });
  });

  it('dropping a receiver drops the senders inside its queued messages, as Rust drops queued messages', () => {
    const [inner, innerRx] = channel<number>();
    const [outerTx, outerRx] = channel<{ tx: Sender<number> }>();
    inner.send(1);
    outerTx.send({ tx: inner });
    expect(innerRx.tryRecv()).toEqual({ ok: true, value: 1 });
    expect(innerRx.tryRecv()).toEqual({ ok: false, disconnected: false });
    outerRx.close();
    expect(innerRx.tryRecv()).toEqual({ ok: false, disconnected: true });
  });

  it('SendError gives back a message holding buffers intact when the receiver is gone', () => {
    const [tx, rx] = channel<{ data: ArrayBuffer }>();
    rx.close();
    const data = new ArrayBuffer(8);
    expect(() => tx.send({ data })).toThrow(SendError);
    expect(data.byteLength).toBe(8);
  });

  it('a panicking task drops its handles: messages sent before are kept, then the stream ends', async () => {
    const [tx, rx] = channel<string>();
    const failing = spawn(move(tx), (tx) => {
      tx.send('before the panic');
      throw new Error('boom');
    });
    await expect(failing.join()).rejects.toBeInstanceOf(ThreadPanic);
    expect(await rx.recv()).toBe('before the panic');
    await expect(rx.recv()).rejects.toBeInstanceOf(RecvError);
  });

  it('a worker that dies releases the senders it held: what it sent arrives, then the stream ends', async () => {
    const [tx, rx] = channel<number>();
    const keep = tx.clone();
    const dying = spawn(move(tx), (tx) => {
      tx.send(1);
      process.exit(3);
    });
    await expect(dying.join()).rejects.toThrow();
    keep.send(2);
    keep.close();
    expect([...rx.iterSync()]).toEqual([1, 2]);
  });

  it('a worker that dies holding the receiver makes sends fail with SendError', async () => {
    const [tx, rx] = channel<number>();
    const dying = spawn(move(rx), (rx) => {
      rx.recvSync();
      process.exit(4);
    });
    tx.send(0);
    await expect(dying.join()).rejects.toThrow();
    expect(() => tx.send(1)).toThrow(SendError);
  });
});

describe('a program using threads and channels', () => {
  it('exits by itself when its work is done', async () => {
    const { execFile } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const program = fileURLToPath(new URL('../../dist/test/fixtures/channel/exits.js', import.meta.url));
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = execFile(process.execPath, [program], { timeout: 20_000 }, (_error, out) => resolve({ code: child.exitCode, stdout: out }));
    });
    expect(stdout).toBe(`sum ${(2999 * 3000) / 2}\nwatcher done\n`);
    expect(code).toBe(0);
  });
});

describe('garbage collection', () => {
  it('a sender or receiver collected without being closed still releases its share', async () => {
    const { execFile } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const program = fileURLToPath(new URL('../../dist/test/fixtures/channel/gc-drop.js', import.meta.url));
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--expose-gc', program], { timeout: 20_000 }, (error, out) => (error === null ? resolve(out) : reject(new Error(`gc-drop failed: ${error.message}`))));
    });
    const [first, second] = stdout.trim().split('\n');
    expect(JSON.parse(first!)).toEqual([
      { ok: true, value: 1 },
      { ok: false, disconnected: true },
    ]);
    expect(second).toBe('SendError');
  });
});
