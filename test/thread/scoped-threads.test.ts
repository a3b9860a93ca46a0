import { describe, expect, it } from 'vitest';
import { ThreadPanic, UseAfterMoveError } from 'fearless';
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
});
