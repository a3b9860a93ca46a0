import { describe, expect, it } from 'vitest';
import { ThreadPanic } from 'fearless';
import { Token, keepOneReturnOne, panicHolding } from '../../dist/test/fixtures/thread/scope.js';

const words = () => new Int32Array(new SharedArrayBuffer(16));

describe('a task owns the handles that come to exist in it', () => {
  it('drops those it still holds when it returns, but not the one it returns', async () => {
    const kept = words();
    const returned = words();
    const result = await keepOneReturnOne(kept, returned);
    expect(kept[0]).toBe(1);
    // Moved back to this thread: the worker let it go without dropping it.
    expect(returned[0]).toBe(0);
    expect(result).toBeInstanceOf(Token);
    // Over the same memory, not a copy.
    Atomics.store(result.words, 0, 42);
    expect(returned[0]).toBe(42);
  });

  it('runs panic clean-ups before dropping what it held, when it throws', async () => {
    const token = words();
    await expect(panicHolding(token)).rejects.toThrow(ThreadPanic);
    expect(token[0]).toBe(1);
    // [2] order of the panic clean-up, [1] order of the drop: clean-up first.
    expect(token[2]).toBe(1);
    expect(token[1]).toBe(2);
  });
});
