/**
 * Issue 20 item 3 (API.md "Platforms"): a refused send (`trySend` → false, `SendError`) leaves
 * the value as it was — nothing in it is detached or moved. The transfer commits only with the
 * publish (hub-bridge.ts: a hub message is stashed once the ring admits it).
 */
import { describe, expect, it } from 'vitest';
import { SendError, type Sender, channel, move, spawn, syncChannel } from 'fearless';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface Parcel {
  readonly bytes: Uint8Array;
  readonly reply?: Sender<number>;
}

const parcel = (size: number, reply?: Sender<number>): Parcel => {
  const bytes = new Uint8Array(new ArrayBuffer(size)).fill(7);
  return reply === undefined ? { bytes } : { bytes, reply };
};

async function refusal(send: Promise<void>): Promise<SendError<Parcel>> {
  const error = await send.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(SendError);
  return error as SendError<Parcel>;
}

describe('a refused send leaves the value whole (main thread)', () => {
  it('trySend on a full channel: false, the buffers still attached; a retry once there is room moves them', () => {
    const [tx, rx] = syncChannel<Parcel>(1);
    expect(tx.trySend(parcel(4))).toBe(true);
    const second = parcel(16);
    expect(tx.trySend(second)).toBe(false);
    expect(second.bytes.byteLength).toBe(16);
    expect(second.bytes[15]).toBe(7);
    expect(rx.tryRecv().ok).toBe(true);
    expect(tx.trySend(second)).toBe(true);
    expect(second.bytes.byteLength).toBe(0);
    const got = rx.tryRecv();
    expect(got.ok && got.value.bytes.byteLength).toBe(16);
  });

  it('a bounded send waiting for room when the receiver goes: SendError.value is whole', async () => {
    const [tx, rx] = syncChannel<Parcel>(1);
    await tx.send(parcel(4));
    const value = parcel(32);
    const pending = tx.send(value);
    await turn();
    rx.close();
    const error = await refusal(pending);
    expect(error.value).toBe(value);
    expect(error.value.bytes.byteLength).toBe(32);
  });

  it('a handle inside a refused message stays usable by the caller (trySend, SendError)', async () => {
    const [replyTx, replies] = channel<number>();
    const [tx, rx] = syncChannel<Parcel>(1);
    expect(tx.trySend(parcel(1))).toBe(true);
    expect(tx.trySend(parcel(1, replyTx))).toBe(false);
    replyTx.send(1);
    const pending = tx.send(parcel(1, replyTx));
    await turn();
    rx.close();
    await refusal(pending);
    replyTx.send(2);
    expect([...replies.tryIter()]).toEqual([1, 2]);
    replyTx.close();
    expect(replies.tryRecv()).toEqual({ ok: false, disconnected: true });
  });

  it('a send refused because the receiver is gone moves nothing', () => {
    const [replyTx, replies] = channel<number>();
    const [tx, rx] = channel<Parcel>();
    rx.close();
    const value = parcel(8, replyTx);
    expect(() => tx.send(value)).toThrow(SendError);
    expect(value.bytes.byteLength).toBe(8);
    replyTx.send(3);
    expect(replies.tryRecv()).toEqual({ ok: true, value: 3 });
  });
});

describe('a refused send leaves the value whole (in a worker)', () => {
  it('trySend on a full channel and a blocking send refused when the receiver goes', async () => {
    const [tx, rx] = syncChannel<Parcel>(1);
    const [goTx, go] = channel<string>();
    const [replyTx, replies] = channel<number>();
    const thread = spawn(move(tx, goTx, replyTx), (tx, goTx, replyTx) => {
      const make = (size: number): { bytes: Uint8Array } => ({ bytes: new Uint8Array(new ArrayBuffer(size)).fill(7) });
      const results: Array<number | string> = [];
      if (!tx.trySend(make(4))) return 'first trySend refused';
      const second = make(16);
      results.push(tx.trySend(second) ? -1 : second.bytes.byteLength);
      // A sender inside a refused message stays this thread's to use.
      if (tx.trySend({ ...make(2), reply: replyTx })) return 'a full channel took a message';
      replyTx.send(11);
      goTx.send('full');
      const third = make(24);
      try {
        // Waits for room; the main thread closes the receiver instead.
        tx.sendSync(third);
        results.push('sent');
      } catch (error) {
        results.push((error as Error).name, (error as { value: { bytes: Uint8Array } }).value.bytes.byteLength, third.bytes[23]!);
      }
      return results;
    });
    expect(await go.recv()).toBe('full');
    // Give the thread time to reach its blocking send; closing earlier refuses it all the same.
    await new Promise((resolve) => setTimeout(resolve, 20));
    rx.close();
    expect(await thread.join()).toEqual([16, 'SendError', 24, 7]);
    expect(await replies.recv()).toBe(11);
  });
});

describe('a rendezvous send whose message is never taken (main thread)', () => {
  it('rejects with SendError holding the value whole, handles inside still usable', async () => {
    const [replyTx, replies] = channel<number>();
    const [tx, rx] = syncChannel<Parcel>(0);
    const value = parcel(12, replyTx);
    const pending = tx.send(value);
    await turn();
    rx.close();
    const error = await refusal(pending);
    expect(error.value).toBe(value);
    expect(value.bytes.byteLength).toBe(12);
    replyTx.send(4);
    expect(replies.tryRecv()).toEqual({ ok: true, value: 4 });
  });

  it('a rendezvous message that is taken moves as usual', async () => {
    const [tx, rx] = syncChannel<Parcel>(0);
    const value = parcel(12);
    const pending = tx.send(value);
    const got = await rx.recv();
    await pending;
    expect(got.bytes.byteLength).toBe(12);
    expect(value.bytes.byteLength).toBe(0);
  });
});
