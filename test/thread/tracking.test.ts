import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('state a worker has let go of', () => {
  // The main thread remembers what each worker holds, to clean up if the worker dies. It used
  // to remember forever: a server thread handed a reply channel per request kept every one of
  // them alive, and the process died once the growable buffers exhausted its memory mappings.
  it.skipIf(process.platform !== 'linux')('is forgotten by the main thread once the worker has collected it', async () => {
    const program = fileURLToPath(new URL('../../dist/test/fixtures/thread/forgets.js', import.meta.url));
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--expose-gc', program], { timeout: 60_000 }, (error, out, err) =>
        error === null ? resolve(out) : reject(new Error(`forgets failed: ${error.message}\n${err}`)),
      );
    });
    // 4,000 channels kept alive would add 8,000 mappings; a few hundred come and go with the heap.
    expect(Number(stdout.trim())).toBeLessThan(1000);
  });
});
