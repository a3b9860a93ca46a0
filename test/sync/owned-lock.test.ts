/**
 * The owned futex lock (src/sync/owned-lock.ts) under Mutex and the channel locks: its word
 * against a model over random sequences of lock / unlock / timed-out waits / owner deaths, and
 * its promises across real threads (mutual exclusion, a dead owner's lock released, async
 * waiters woken).
 */
import fc from 'fast-check';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  CONTENDED,
  HELD_HERE,
  TAKEN,
  TIMED_OUT,
  lockOwnedAsync,
  lockOwnedSync,
  ownerMark,
  ownerOf,
  releaseDeadOwner,
  tryLockOwned,
  unlockOwned,
} from '../../dist/src/sync/owned-lock.js';
import { runs, timeout } from '../codec/settings.js';

const AT = 0;
/** Async waiter words of the test locks: the sequence, then the count. */
const ASYNC = 2;
const SLOTS = 3;

type Step =
  | { readonly kind: 'try'; readonly slot: number }
  | { readonly kind: 'lock'; readonly slot: number }
  | { readonly kind: 'unlock' }
  | { readonly kind: 'died'; readonly slot: number };

const slot = fc.integer({ min: 0, max: SLOTS - 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  slot.map((s) => ({ kind: 'try', slot: s }) as const),
  slot.map((s) => ({ kind: 'lock', slot: s }) as const),
  fc.constant({ kind: 'unlock' } as const),
  slot.map((s) => ({ kind: 'died', slot: s }) as const),
);

describe('owned lock word', () => {
  it('follows the model: owner in the word, CONTENDED left by a timed-out waiter, a dead owner freed', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const words = new Int32Array(new SharedArrayBuffer(16));
        let holder: number | undefined;
        let contended = false;
        for (const next of steps) {
          switch (next.kind) {
            case 'try': {
              const taken = tryLockOwned(words, AT, ownerMark(next.slot));
              expect(taken).toBe(holder === undefined);
              if (taken) holder = next.slot;
              break;
            }
            case 'lock': {
              // Deadline now: a free lock is taken while spinning, a held one is given up on.
              const outcome = lockOwnedSync(words, AT, ownerMark(next.slot), performance.now());
              if (holder === undefined) {
                expect(outcome).toBe(TAKEN);
                holder = next.slot;
              } else if (holder === next.slot) {
                expect(outcome).toBe(HELD_HERE);
              } else {
                expect(outcome).toBe(TIMED_OUT);
                // It announced itself before giving up; the next unlock pays one spare notify.
                contended = true;
              }
              break;
            }
            case 'unlock':
              if (holder === undefined) break;
              unlockOwned(words, AT);
              holder = undefined;
              contended = false;
              break;
            case 'died': {
              const released = releaseDeadOwner(words, AT, next.slot);
              expect(released).toBe(holder === next.slot);
              if (released) {
                holder = undefined;
                contended = false;
              }
              break;
            }
          }
          const expected = holder === undefined ? 0 : ownerMark(holder) | (contended ? CONTENDED : 0);
          expect(Atomics.load(words, AT)).toBe(expected);
          expect(ownerOf(words, AT)).toBe(holder ?? -1);
        }
      }),
      runs(300),
    );
  }, timeout);

  it('wakes an async waiter on unlock and on a dead owner’s release, and gives up at its deadline', async () => {
    const words = new Int32Array(new SharedArrayBuffer(16));
    expect(tryLockOwned(words, AT, ownerMark(0))).toBe(true);
    // Another task of a thread: it waits without blocking.
    const waiting = lockOwnedAsync(words, AT, ASYNC, ownerMark(1));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(Atomics.load(words, ASYNC + 1)).toBe(1);
    unlockOwned(words, AT, ASYNC);
    expect(await waiting).toBe(true);
    expect(ownerOf(words, AT)).toBe(1);
    expect(Atomics.load(words, ASYNC + 1)).toBe(0);

    const timedOut = await lockOwnedAsync(words, AT, ASYNC, ownerMark(2), performance.now() + 20);
    expect(timedOut).toBe(false);

    const afterDeath = lockOwnedAsync(words, AT, ASYNC, ownerMark(2));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(releaseDeadOwner(words, AT, 0, ASYNC)).toBe(false);
    expect(releaseDeadOwner(words, AT, 1, ASYNC)).toBe(true);
    expect(await afterDeath).toBe(true);
    expect(ownerOf(words, AT)).toBe(2);
  });
});

/** A worker that runs `body` with the lock module, the shared words and its slot. */
function runWorker(body: string, words: Int32Array, slot: number): Promise<unknown> {
  const module = new URL('../../dist/src/sync/owned-lock.js', import.meta.url).href;
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     import(workerData.module).then((lock) => {
       const { words, slot } = workerData;
       const result = (${body})(lock, words, slot, parentPort);
       parentPort.postMessage({ done: result });
     });`,
    { eval: true, workerData: { module, words, slot } },
  );
  return new Promise((resolve, reject) => {
    worker.on('message', (message: { done?: unknown; progress?: unknown }) => {
      if ('done' in message) resolve(message.done);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => resolve(`exited ${code}`));
  });
}

describe('owned lock across threads', () => {
  it('lets one thread at a time through: a non-atomic increment under it loses nothing', async () => {
    const words = new Int32Array(new SharedArrayBuffer(32));
    const COUNTER = 4;
    const body = `(lock, words, slot) => {
      const mine = lock.ownerMark(slot);
      for (let i = 0; i < 20000; i++) {
        if (!lock.tryLockOwned(words, 0, mine)) lock.lockOwnedSync(words, 0, mine);
        const value = Atomics.load(words, ${COUNTER});
        for (let spin = 0; spin < 20; spin++) Atomics.load(words, 1);
        Atomics.store(words, ${COUNTER}, value + 1);
        lock.unlockOwned(words, 0);
      }
      return 'ok';
    }`;
    const results = await Promise.all([runWorker(body, words, 1), runWorker(body, words, 2), runWorker(body, words, 3)]);
    expect(results).toEqual(['ok', 'ok', 'ok']);
    expect(Atomics.load(words, COUNTER)).toBe(60000);
    expect(Atomics.load(words, 0)).toBe(0);
  }, 60_000);

  it('frees the lock of a thread that died holding it, waking a blocked waiter', async () => {
    const words = new Int32Array(new SharedArrayBuffer(32));
    const died = await runWorker(
      `(lock, words, slot) => { lock.tryLockOwned(words, 0, lock.ownerMark(slot)); process.exit(3); }`,
      words,
      5,
    );
    expect(died).toBe('exited 3');
    expect(ownerOf(words, AT)).toBe(5);
    const waiter = runWorker(
      `(lock, words, slot, port) => {
        const outcome = lock.lockOwnedSync(words, 0, lock.ownerMark(slot));
        const owner = lock.ownerOf(words, 0);
        lock.unlockOwned(words, 0);
        return [outcome, owner];
      }`,
      words,
      6,
    );
    // The waiter announces itself (CONTENDED) once it has spun; then the main thread releases.
    while ((Atomics.load(words, AT) & CONTENDED) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(releaseDeadOwner(words, AT, 6)).toBe(false);
    expect(releaseDeadOwner(words, AT, 5)).toBe(true);
    expect(await waiter).toEqual([TAKEN, 6]);
    expect(Atomics.load(words, AT)).toBe(0);
  }, 30_000);
});
