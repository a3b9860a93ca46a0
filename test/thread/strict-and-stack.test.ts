import { describe, expect, it } from 'vitest';
import { Arc, move, spawn } from 'fearless';

describe('closures in the worker', () => {
  it('run in strict mode: a write to a frozen Arc value throws and `this` is undefined (issue 11.6)', async () => {
    const shared = new Arc({ count: 1 });
    const result = await spawn(move(shared), function (this: unknown, arc: Arc<{ count: number }>) {
      let write = 'ignored';
      try {
        (arc.get() as { count: number }).count = 2;
      } catch (error) {
        write = (error as Error).name;
      }
      return { write, thisIsUndefined: this === undefined, count: arc.get().count };
    }).join();
    expect(result).toEqual({ write: 'TypeError', thisIsUndefined: true, count: 1 });
  });
});

describe('spawn with a library\'s Error.prepareStackTrace in place (issue 11.7)', () => {
  it('a closure containing import( still spawns when prepareStackTrace returns the frames', async () => {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- saved to be put back, never called
    const original = Error.prepareStackTrace;
    const returnsFrames = (_error: Error, frames: NodeJS.CallSite[]) => frames;
    Error.prepareStackTrace = returnsFrames;
    try {
      const handle = spawn(async () => {
        const path = await import('node:path');
        return path.posix.join('a', 'b');
      });
      // The library's is back in place once spawn has read the caller.
      // eslint-disable-next-line @typescript-eslint/unbound-method -- compared, never called
      expect(Error.prepareStackTrace).toBe(returnsFrames);
      expect(await handle.join()).toBe('a/b');
    } finally {
      Error.prepareStackTrace = original;
    }
  });
});
