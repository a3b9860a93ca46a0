/**
 * The main thread's async channel paths raced with fast-check's scheduler (issue 20, the
 * method): a waiting send (bounded or rendezvous), a pending recv() and a select() on a clone,
 * the close of either end and a new channel made at any point (it may get the old one's memory:
 * connection.ts "reuse") fire in every order the scheduler picks, with real wake-ups let through
 * in between. Checked: each message reaches the channel it was sent on at most once (exactly
 * once for a completed rendezvous), a refused send gives its value back whole, pending
 * operations end with the right error, the new channel works and sees nothing of the old one,
 * and nothing hangs (a bounded wait fails the run).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecvError, SendError, UseAfterMoveError, type Receiver, type SyncSender, channel, select, syncChannel } from 'fearless';
import { runs, timeout } from '../codec/settings.js';
import { within } from './within.js';

interface Parcel {
  readonly n: number;
  readonly bytes: Uint8Array;
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));


type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };
const outcome = (promise: Promise<unknown>): Promise<Outcome> =>
  promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );

const parcel = (n: number): Parcel => ({ n, bytes: new Uint8Array(new ArrayBuffer(16)).fill(n) });

describe('async channel paths in every order the scheduler picks', () => {
  it(
    'waiting send, recv, select on a clone, closes and a new channel (reuse)',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.scheduler(),
          fc.constantFrom(0, 1),
          fc.boolean(),
          fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
          async (s, bound, cloned, letThrough) => {
            const [tx, rx] = syncChannel<Parcel>(bound);
            const clone = cloned ? rx.clone() : undefined;
            // Bounded: fill the ring, so the send below waits for room. Rendezvous: it waits to be taken.
            const first = parcel(1);
            if (bound === 1) expect(tx.trySend(first)).toBe(true);
            const waiting = parcel(2);
            const sent = outcome(tx.send(waiting));
            const started: Array<Promise<Outcome>> = [];
            const received: unknown[] = [];
            const take = (promise: Promise<unknown>): void => {
              started.push(
                outcome(promise).then((result) => {
                  if (result.ok) received.push(result.value);
                  return result;
                }),
              );
            };
            let fresh: [SyncSender<Parcel>, Receiver<Parcel>] | undefined;
            let freshRecv: Promise<Parcel> | undefined;

            void s.schedule(Promise.resolve('recv')).then(() => take(rx.recv()));
            void s.schedule(Promise.resolve('select')).then(() => take(select([clone ?? rx]).then((picked) => (picked.ok ? picked.value : 'ended'))));
            void s.schedule(Promise.resolve('close tx')).then(() => tx.close());
            void s.schedule(Promise.resolve('close rx')).then(() => {
              rx.close();
              clone?.close();
            });
            void s.schedule(Promise.resolve('new channel')).then(() => {
              fresh = syncChannel<Parcel>(bound);
              freshRecv = fresh[1].recv();
            });
            for (let step = 0; s.count() > 0; step++) {
              await s.waitOne();
              if (letThrough[step % letThrough.length]) await turn();
            }
            const sendResult = await within(sent, 'the waiting send');
            const results = await within(Promise.all(started), 'the pending receives');

            // Pending receives end with a message of this channel, its end, or their receiver closed.
            for (const result of results) {
              if (result.ok) continue;
              const error = result.error;
              expect(error instanceof RecvError || error instanceof UseAfterMoveError).toBe(true);
            }
            const values = received.filter((value): value is Parcel => typeof value === 'object');
            const numbers = values.map((value) => value.n).sort();
            // Each message at most once, only this channel's, whole.
            expect(new Set(numbers).size).toBe(numbers.length);
            for (const value of values) {
              expect([1, 2]).toContain(value.n);
              expect(value.bytes.byteLength).toBe(16);
              expect(value.bytes[15]).toBe(value.n);
            }
            if (sendResult.ok) {
              // A completed rendezvous was taken by one of the receives.
              if (bound === 0) expect(numbers).toContain(2);
              expect(waiting.bytes.byteLength).toBe(0);
            } else {
              // Refused: the receiver went (SendError, the value in it), or the sender was closed
              // under its own send (UseAfterMoveError). Either way the value is whole.
              const error = sendResult.error;
              expect(error instanceof SendError || error instanceof UseAfterMoveError).toBe(true);
              if (error instanceof SendError) expect(error.value).toBe(waiting);
              expect(numbers).not.toContain(2);
              expect(waiting.bytes.byteLength).toBe(16);
            }
            // The new channel is untouched by the old one and wakes its receiver.
            const [freshTx, freshRx] = fresh!;
            await turn();
            expect(freshTx.trySend(parcel(9))).toBe(true);
            expect((await within(freshRecv!, "the new channel's recv")).n).toBe(9);
            expect(freshRx.tryRecv()).toEqual({ ok: false, disconnected: false });
            freshTx.close();
            freshRx.close();
          },
        ),
        runs(80),
      );
    },
    timeout,
  );

  it(
    'unbounded: send, recv, select and closes racing a new channel',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.scheduler(), fc.boolean(), fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), async (s, cloned, letThrough) => {
          const [tx, rx] = channel<number>();
          const clone = cloned ? rx.clone() : undefined;
          const pending = [outcome(rx.recv()), outcome(select([clone ?? rx]).then((picked) => (picked.ok ? picked.value : 'ended')))];
          const sends: Array<'sent' | 'refused' | 'closed'> = [];
          let fresh: ReturnType<typeof channel<number>> | undefined;
          let freshRecv: Promise<number> | undefined;
          void s.schedule(Promise.resolve('send')).then(() => {
            try {
              tx.send(5);
              sends.push('sent');
            } catch (error) {
              sends.push(error instanceof SendError ? 'refused' : 'closed');
            }
          });
          void s.schedule(Promise.resolve('close tx')).then(() => tx.close());
          void s.schedule(Promise.resolve('close rx')).then(() => {
            rx.close();
            clone?.close();
          });
          void s.schedule(Promise.resolve('new channel')).then(() => {
            fresh = channel<number>();
            freshRecv = fresh[1].recv();
          });
          for (let step = 0; s.count() > 0; step++) {
            await s.waitOne();
            if (letThrough[step % letThrough.length]) await turn();
          }
          const results = await within(Promise.all(pending), 'the pending receives');
          const got = results.filter((result) => result.ok && result.value === 5);
          expect(got.length).toBeLessThanOrEqual(1);
          if (got.length === 1) expect(sends).toEqual(['sent']);
          for (const result of results) {
            if (!result.ok) expect(result.error instanceof RecvError || result.error instanceof UseAfterMoveError).toBe(true);
          }
          const [freshTx, freshRx] = fresh!;
          freshTx.send(7);
          expect(await within(freshRecv!, "the new channel's recv")).toBe(7);
          expect(freshRx.tryRecv()).toEqual({ ok: false, disconnected: false });
          freshTx.close();
          freshRx.close();
        }),
        runs(80),
      );
    },
    timeout,
  );
});
