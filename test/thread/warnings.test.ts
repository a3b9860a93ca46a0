/**
 * The worker's compiler drops the one ExperimentalWarning Node emits for the loader flag it
 * compiles closures with (`vm.USE_MAIN_CONTEXT_DEFAULT_LOADER`, at a closure's first
 * `import()`); its patch of `process.emitWarning` must let every other warning through
 * unchanged (issue 21, item 3). It used to drop any warning whose text mentioned the flag.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ThreadPool } from 'fearless';

// A pool of its own: its worker has not yet run a closure that imports, so the loader warning
// is still to come (Node emits it once per thread).
const pool = new ThreadPool({ size: 1 });
afterAll(() => pool.close());

interface Seen {
  readonly name: string;
  readonly message: string;
  readonly code: string | undefined;
  readonly detail: string | undefined;
}

describe('warnings in a worker', () => {
  it('reach listeners unchanged, all but the loader flag\'s ExperimentalWarning', async () => {
    const seen = await pool
      .spawn(async () => {
        const got: Seen[] = [];
        const listener = (warning: Error & { code?: string; detail?: string }) => {
          got.push({ name: warning.name, message: warning.message, code: warning.code, detail: warning.detail });
        };
        process.on('warning', listener);
        try {
          process.emitWarning('a custom warning', { type: 'CustomWarning', code: 'CUSTOM_CODE', detail: 'some detail' });
          process.emitWarning('vm.USE_MAIN_CONTEXT_DEFAULT_LOADER named by another kind of warning', 'OtherWarning');
          process.emitWarning('another experimental feature', 'ExperimentalWarning');
          process.emitWarning(Object.assign(new Error('an error as a warning'), { name: 'ErrorWarning' }));
          // The closure's first import(): Node emits the loader flag's warning here.
          await import('node:path');
          process.emitWarning('after the import', 'LaterWarning');
          await new Promise((resolve) => setTimeout(resolve, 50));
        } finally {
          process.off('warning', listener);
        }
        return got;
      })
      .join();
    expect(seen).toEqual([
      { name: 'CustomWarning', message: 'a custom warning', code: 'CUSTOM_CODE', detail: 'some detail' },
      { name: 'OtherWarning', message: 'vm.USE_MAIN_CONTEXT_DEFAULT_LOADER named by another kind of warning', code: undefined, detail: undefined },
      { name: 'ExperimentalWarning', message: 'another experimental feature', code: undefined, detail: undefined },
      { name: 'ErrorWarning', message: 'an error as a warning', code: undefined, detail: undefined },
      { name: 'LaterWarning', message: 'after the import', code: undefined, detail: undefined },
    ]);
  });
});
