import { describe, expect, it } from 'vitest';
import { AtomicI32, ThreadAbortedError, ThreadPanic, UseAfterMoveError, move, scope } from 'fearless';
import {
  asyncBodyResult,
  bodyThrowWins,
  joinedPanicIsHandled,
  scopeInsideThread,
  spawnAfterEnd,
  unjoinedPanic,
  unjoinedThreadsFinish,
} from '../../dist/test/fixtures/thread/scoped.js';

describe('scope(body) with s.spawn', () => {
  it('joins every thread the body left unjoined before it settles, and gives the body value', async () => {
    const { value, done, finished } = await unjoinedThreadsFinish(4);
    expect(value).toBe('body value');
    expect(done).toEqual([1, 2, 3, 4]);
    expect(finished).toEqual([true, true, true, true]);
  });

  it('returns what an async body returns (here from joined threads)', async () => {
    expect(await asyncBodyResult()).toBe(60);
  });

  it('rejects with the ThreadPanic of an unjoined thread, after the other threads finished', async () => {
    const { error, siblingDone } = await unjoinedPanic();
    expect(error).toBeInstanceOf(ThreadPanic);
    expect((error as ThreadPanic).cause).toMatchObject({ name: 'RangeError', message: 'first thread failed' });
    expect(siblingDone).toBe(1);
  });

  it('a panic the body joined and handled does not fail the scope', async () => {
    expect(await joinedPanicIsHandled()).toEqual({ value: 'recovered', seen: 'ThreadPanic' });
  });

  it("the body's own throw wins over a thread's panic, once that thread has finished", async () => {
    const { error, threadDone } = await bodyThrowWins();
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('body failure');
    expect(threadDone).toBe(1);
  });

  it('a scope used after its body settled refuses to spawn', async () => {
    const error = await spawnAfterEnd();
    expect(error).toBeInstanceOf(UseAfterMoveError);
    expect((error as Error).message).toMatch(/this scope has ended/);
  });

  it('works inside a spawned thread', async () => {
    expect(await scopeInsideThread()).toBe(10);
  });

  describe('s.spawn(...).abort()', () => {
    /** scope's outcome, or 'hung' if it has not settled within 10 s (it used to never settle). */
    async function settledWithin<T>(promise: Promise<T>): Promise<{ value: T } | { error: unknown } | 'hung'> {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const hung = new Promise<'hung'>((resolve) => {
        timer = setTimeout(() => resolve('hung'), 10_000);
      });
      try {
        return await Promise.race([promise.then((value) => ({ value }), (error: unknown) => ({ error })), hung]);
      } finally {
        clearTimeout(timer);
      }
    }

    it('stops the thread (a busy loop) and the scope settles with the body value: an abort asked for is not a panic', async () => {
      const started = new AtomicI32(0);
      let joined: unknown;
      const outcome = await settledWithin(
        scope(async (s) => {
          const busy = s.spawn(move(started), (started) => {
            started.store(1);
            for (;;) {
              // never returns by itself
            }
          });
          const sibling = s.spawn(() => 'sibling');
          while (started.load() === 0) await new Promise((resolve) => setTimeout(resolve, 2));
          busy.abort();
          joined = await sibling.join();
          return 'body value';
        }),
      );
      expect(outcome).toEqual({ value: 'body value' });
      expect(joined).toBe('sibling');
    });

    it('a body that joins the aborted handle gets ThreadAbortedError; rethrown, it fails the scope', async () => {
      const started = new AtomicI32(0);
      const outcome = await settledWithin(
        scope(async (s) => {
          const busy = s.spawn(move(started), (started) => {
            started.store(1);
            for (;;) {
              // never returns by itself
            }
          });
          while (started.load() === 0) await new Promise((resolve) => setTimeout(resolve, 2));
          busy.abort();
          await busy.join();
          return 'not reached';
        }),
      );
      expect(outcome).not.toBe('hung');
      expect((outcome as { error: unknown }).error).toBeInstanceOf(ThreadAbortedError);
    });

    it('abort right after s.spawn (before the thread started) settles too; a finished thread is not affected', async () => {
      const outcome = await settledWithin(
        scope((s) => {
          s.spawn(() => {
            for (;;) {
              // never returns by itself
            }
          }).abort();
          return 'early';
        }),
      );
      expect(outcome).toEqual({ value: 'early' });
      const finished = await settledWithin(
        scope(async (s) => {
          const quick = s.spawn(() => 7);
          const value = await quick.join();
          quick.abort();
          return value + (await quick.join());
        }),
      );
      expect(finished).toEqual({ value: 14 });
    });

    it('a thread that panicked is still the scope\'s panic, even if the body called abort() after it finished', async () => {
      const outcome = await settledWithin(
        scope(async (s) => {
          const failing = s.spawn(() => {
            throw new RangeError('it failed');
          });
          while (!failing.isFinished) await new Promise((resolve) => setTimeout(resolve, 2));
          failing.abort();
          return 'body value';
        }),
      );
      expect((outcome as { error: unknown }).error).toBeInstanceOf(ThreadPanic);
    });
  });
});
