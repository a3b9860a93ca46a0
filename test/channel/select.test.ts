import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, RecvTimeoutError, channel, select, selectSync, syncChannel } from 'fearless';
import { selectInWorker, selectSyncTimeoutInWorker } from '../../dist/test/fixtures/channel/select-worker.js';

describe('select / selectSync', () => {
  it('takes one message from the ready receiver, with its index; the others keep theirs', async () => {
    const [numberTx, numbers] = channel<number>();
    const [wordTx, words] = channel<string>();
    wordTx.send('hello');
    expect(await select([numbers, words])).toEqual({ index: 1, ok: true, value: 'hello' });
    numberTx.send(7);
    numberTx.send(8);
    expect(selectSync([numbers, words])).toEqual({ index: 0, ok: true, value: 7 });
    expect(numbers.tryRecv()).toEqual({ ok: true, value: 8 });
    expect(words.tryRecv()).toEqual({ ok: false, disconnected: false });
  });

  it('is fair between ready receivers: neither of two always-ready channels is starved', async () => {
    const [aTx, a] = channel<number>();
    const [bTx, b] = channel<number>();
    for (let value = 0; value < 2_000; value++) {
      aTx.send(value);
      bTx.send(value);
    }
    const chosen = [0, 0];
    for (let round = 0; round < 1_000; round++) chosen[(await select([a, b])).index]!++;
    for (let round = 0; round < 1_000; round++) chosen[selectSync([a, b]).index]!++;
    // Random choice: each side's share is ~50%; 35% is more than 13 standard deviations away.
    expect(chosen[0]).toBeGreaterThan(700);
    expect(chosen[1]).toBeGreaterThan(700);
  });

  it('a disconnected channel gives its queued messages first, then { index, ok: false } at once', async () => {
    const [openTx, open] = channel<number>();
    const [doneTx, done] = channel<string>();
    doneTx.send('last words');
    doneTx.close();
    expect(await select([open, done])).toEqual({ index: 1, ok: true, value: 'last words' });
    expect(await select([open, done])).toEqual({ index: 1, ok: false });
    expect(selectSync([open, done])).toEqual({ index: 1, ok: false });
    openTx.close();
  });

  it('waits for a message that comes later, on any of the receivers', async () => {
    const [aTx, a] = channel<number>();
    const [bTx, b] = syncChannel<string>(4);
    const picked = select([a, b]);
    setTimeout(() => bTx.trySend('later'), 20);
    expect(await picked).toEqual({ index: 1, ok: true, value: 'later' });
    // Waiting again, on the other one this time.
    const next = select([a, b]);
    setTimeout(() => aTx.send(3), 10);
    expect(await next).toEqual({ index: 0, ok: true, value: 3 });
  });

  it('with a timeout and nothing ready: RecvTimeoutError (not disconnected), after the timeout', async () => {
    const [, a] = channel<number>();
    const [, b] = channel<number>();
    const started = performance.now();
    const error = await select([a, b], { timeout: 30 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RecvTimeoutError);
    expect((error as RecvTimeoutError).disconnected).toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(28);
    expect(() => selectSync([a, b], { timeout: 5 })).toThrow(RecvTimeoutError);
    expect(() => selectSync([a, b], { timeout: 0 })).toThrow(RecvTimeoutError);
  });

  it('a ready receiver wins over the timeout, even a timeout of 0', async () => {
    const [tx, rx] = channel<string>();
    tx.send('now');
    expect(await select([rx], { timeout: 0 })).toEqual({ index: 0, ok: true, value: 'now' });
  });

  it('inside a worker: selectSync over two producers gets every message, in order per channel', async () => {
    const { numbers, words, disconnects } = await selectInWorker(5_000);
    expect(numbers).toEqual(Array.from({ length: 5_000 }, (_, value) => value));
    expect(words).toEqual(Array.from({ length: 5_000 }, (_, value) => `w${value}`));
    expect([...disconnects].sort()).toEqual([0, 1]);
  });

  it('inside a worker: selectSync times out, then sees a message sent later', async () => {
    expect(await selectSyncTimeoutInWorker()).toEqual({
      timedOut: 'RecvTimeoutError',
      disconnected: false,
      then: { index: 1, ok: true, value: 'late' },
    });
  });

  it('works over cloned receivers: each message is taken once', async () => {
    const [tx, rx] = channel<number>();
    const clone = rx.clone();
    const [, other] = channel<number>();
    for (let value = 0; value < 100; value++) tx.send(value);
    const seen: number[] = [];
    for (let round = 0; round < 100; round++) {
      const picked = round % 2 === 0 ? await select([rx, other]) : selectSync([other, clone]);
      if (picked.ok) seen.push(picked.value);
    }
    expect(seen.sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, value) => value));
  });

  it('a loop of selects that a busy channel wins keeps working, and the quiet channel still wakes it', async () => {
    const [busyTx, busy] = channel<number>();
    const [quietTx, quiet] = channel<number>();
    for (let round = 0; round < 200; round++) {
      setImmediate(() => busyTx.send(round));
      expect(await select([busy, quiet])).toEqual({ index: 0, ok: true, value: round });
    }
    // The quiet channel still wakes a select when it finally speaks.
    const picked = select([busy, quiet]);
    quietTx.send(-1);
    expect(await picked).toEqual({ index: 1, ok: true, value: -1 });
  });

  it('refuses bad arguments with InvalidArgumentError naming the call', async () => {
    const [, rx] = channel<number>();
    await expect(select([])).rejects.toThrow(/select\(receivers, options\): receivers must be a non-empty array of Receivers/);
    expect(() => selectSync([rx, 5 as never])).toThrow(/receivers\[1\] must be a Receiver/);
    await expect(select([rx], { timeout: -1 })).rejects.toThrow(InvalidArgumentError);
    expect(() => selectSync([rx], { timeout: Number.NaN })).toThrow(/selectSync\(receivers, options\) timeout/);
  });
});

describe('select with a timeout beyond a timer\'s range (issue 20 item 8)', () => {
  it('waits quietly: no TimeoutOverflowWarning, no wake-up every millisecond; a message still ends it', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning.name);
    };
    process.on('warning', onWarning);
    try {
      const [tx, rx] = channel<number>();
      const [, other] = channel<number>();
      for (const timeout of [2 ** 31, 2 ** 40, Number.MAX_SAFE_INTEGER]) {
        const picked = select([rx, other], { timeout });
        await new Promise((resolve) => setTimeout(resolve, 30));
        tx.send(timeout);
        expect(await picked).toEqual({ index: 0, ok: true, value: timeout });
        const received = rx.recvTimeout(timeout);
        await new Promise((resolve) => setTimeout(resolve, 10));
        tx.send(1);
        expect(await received).toBe(1);
      }
      // A cloned receiver's timed receive sleeps the shared way (consumer-claim.ts).
      const clone = rx.clone();
      const shared = clone.recvTimeout(2 ** 33);
      await new Promise((resolve) => setTimeout(resolve, 10));
      tx.send(2);
      expect(await shared).toBe(2);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
