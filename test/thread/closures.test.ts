import { describe, expect, it } from 'vitest';
import {
  awaitUsingInAsyncThread,
  bareDynamicImport,
  disposeErrorsAreSuppressedErrors,
  methodShorthand,
  nestedSpawn,
  relativeDynamicImport,
  restAndSpread,
  usingReleasesAtBlockEnd,
  usingReleasesOnThrow,
} from '../../dist/test/fixtures/thread/closures.js';

// The fixture is compiled by tsc (npm run build) exactly as users compile: `using` becomes calls
// to helpers emitted at the top of that module, which the worker must provide.
describe('closures compiled by tsc', () => {
  it('`using` disposes at the end of the block', async () => {
    expect(await usingReleasesAtBlockEnd()).toEqual(['inside', 'disposed', 'after']);
  });

  it('`using` disposes when the block throws', async () => {
    expect(await usingReleasesOnThrow()).toEqual(['disposed', 'caught boom']);
  });

  it('`await using` awaits the async disposer', async () => {
    expect(await awaitUsingInAsyncThread()).toEqual(['inside', 'async disposed']);
  });

  it('an error from a disposer is chained in a SuppressedError, as tslib does', async () => {
    expect(await disposeErrorsAreSuppressedErrors()).toEqual({ name: 'SuppressedError', error: 'from dispose', suppressed: 'from body' });
  });

  it('object rest and array spread work', async () => {
    expect(await restAndSpread()).toEqual([1, { b: 2, c: 3 }, [4, 5, 6]]);
  });

  it('import() of a relative path resolves against the file that called spawn', async () => {
    expect(await relativeDynamicImport()).toBe('hello from thread');
  });

  it('import() of a bare package name resolves from the calling file too', async () => {
    expect(await bareDynamicImport()).toBe('function');
  });

  it('method shorthand closures are accepted', async () => {
    expect(await methodShorthand()).toBe(42);
  });

  it('a thread can spawn a thread', async () => {
    expect(await nestedSpawn()).toBe(42);
  });
});
