/**
 * The spawn-time check lets a closure name the package's exports, read from a static list
 * (src/export-names.ts) so that thread/ does not import the package's entry. The list must be
 * the entry's real exports: a name missing from it would refuse a right closure (`Mutex` is
 * passed in by the worker), an extra name would let through one the worker lacks.
 */
import { describe, expect, it } from 'vitest';
import { exportNames } from '../../dist/src/export-names.js';
import { checkCaptures } from '../../dist/src/thread/capture-check.js';

describe('the static list of export names', () => {
  it('is exactly the names the package entry exports at run time', async () => {
    const entry = (await import('../../dist/src/index.js')) as Record<string, unknown>;
    expect([...exportNames].sort()).toEqual(Object.keys(entry).sort());
  });

  it('is what the spawn-time check reads: every export may be named in a closure, a near name may not', () => {
    expect(() => checkCaptures(`() => [${exportNames.join(', ')}]`, 'spawn()', '')).not.toThrow();
    expect(() => checkCaptures('() => Mutexes', 'spawn()', '')).toThrow(/`Mutexes`/);
  });
});
