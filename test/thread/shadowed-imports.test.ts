/**
 * Issue 20, item 8: a closure that uses a name its file imports, and that the worker also has as
 * a global (`setTimeout` from node:timers/promises, `crypto` from node:crypto), used to pass the
 * spawn-time check and silently run with the worker's global. It is refused at the spawn, naming
 * the name, the import and the fix; an import that is that very global is not refused.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { CaptureError } from 'fearless';
import * as esm from '../../dist/test/fixtures/thread/shadowing.js';
import { checkShadowedGlobals } from '../../dist/src/thread/capture-check.js';
import { forgetImportTables, importsOf } from '../../dist/src/thread/caller.js';
import { freeNames } from '../../dist/src/thread/free-names.js';
import { captureOf } from './capture-of.js';

const cjs = createRequire(import.meta.url)('../../dist/test/fixtures/thread/shadowing-require.cjs') as Record<'importedSetTimeout' | 'importedCrypto' | 'sameAsGlobal', () => Promise<unknown>>;
const esmFile = new URL('../../dist/test/fixtures/thread/shadowing.js', import.meta.url).href;


describe('an import that shadows a worker global is refused at the spawn (issue 20, item 8)', () => {
  it('import { setTimeout } from node:timers/promises: named, with the import and the fix', () => {
    const error = captureOf(esm.importedSetTimeout);
    expect(error.identifier).toBe('setTimeout');
    expect(error.message).toContain("import { setTimeout } from 'node:timers/promises'");
    expect(error.message).toContain('shadowing.js');
    expect(error.message).toContain("const { setTimeout } = await import('node:timers/promises')");
    expect(error.message).toMatch(/^spawn\(\): the function uses `setTimeout` at line 1, column \d+ of its source/);
  });

  it('import crypto from node:crypto (the worker global is Web Crypto)', () => {
    const error = captureOf(esm.importedCrypto);
    expect(error.identifier).toBe('crypto');
    expect(error.message).toContain("import crypto from 'node:crypto'");
    expect(error.message).toContain("const { default: crypto } = await import('node:crypto')");
  });

  it('every spawn of the same text from that file is refused, not only the first', () => {
    const [first, second] = esm.spawnedTwice();
    expect(first).toBeInstanceOf(CaptureError);
    expect(second).toBeInstanceOf(CaptureError);
  });

  it('CommonJS require bindings at the top level count as imports', async () => {
    expect(await cjs.importedSetTimeout()).toBeInstanceOf(CaptureError);
    const crypto = await cjs.importedCrypto();
    expect(crypto).toBeInstanceOf(CaptureError);
    expect((crypto as CaptureError).message).toContain("const crypto = require('node:crypto')");
    expect(await cjs.sameAsGlobal()).toBe(3);
  });

  it('no refusal: imported inside the closure, declared by the closure, the very global, or imported under another name', async () => {
    expect(await esm.importedInside().join()).toBe('slept inside');
    expect(await esm.declaredInside().join()).toBe(42);
    expect(await esm.sameAsGlobal().join()).toBe(3);
    expect(await esm.renamedImport().join()).toBe('function');
  });

  it('a file that cannot be read as JavaScript (TypeScript on disk, as tsx and vitest run it) or is not a file refuses nothing', () => {
    const globals = freeNames('async () => setTimeout(1)');
    const tsSource = new URL('../fixtures/thread/shadowing.ts', import.meta.url).href;
    expect(importsOf(tsSource)).toBeNull();
    for (const caller of [tsSource, 'file:///no/such/file.js', 'node:internal/x', 'data:text/javascript,', undefined]) {
      expect(() => checkShadowedGlobals('async () => setTimeout(1)', globals, 'spawn()', '', caller)).not.toThrow();
    }
  });

  it('the per-file import table lists top-level imports and require bindings only', () => {
    forgetImportTables();
    const table = importsOf(esmFile);
    expect([...(table?.keys() ?? [])].sort()).toEqual(['Buffer', 'crypto', 'move', 'setTimeout', 'soon', 'spawn']);
    expect(table?.get('soon')).toMatchObject({ specifier: 'node:timers', imported: 'setImmediate' });
    expect(table?.get('crypto')).toMatchObject({ specifier: 'node:crypto', imported: 'default' });
  });
});
