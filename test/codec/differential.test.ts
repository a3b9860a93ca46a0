/**
 * Differential tests: random values sent on every path must arrive as structuredClone delivers
 * them (plus the Error parts fearless keeps beyond it), and values that cannot cross must be
 * refused on every path alike, naming the same path to the bad part.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotCloneableError } from 'fearless';
import { useLiterals } from '../../dist/src/codec/decode-cache.js';
import { differences, expectedOf } from './compare.js';
import { localPaths, startEcho, threadPaths, type Echo, type Path } from './paths.js';
import { build, valueRecipes, type ValueRecipe } from './recipe.js';
import { runs, timeout } from './settings.js';

let echo: Echo;
beforeAll(() => {
  echo = startEcho();
});
afterAll(async () => {
  await echo.stop();
});

async function check(paths: readonly Path[], recipe: ValueRecipe): Promise<void> {
  const expected = expectedOf(build(recipe));
  for (const path of paths) {
    const arrived = await path.send(build(recipe));
    const found = differences(arrived, expected);
    if (found.length > 0) throw new Error(`${path.name}:\n  ${found.join('\n  ')}`);
  }
}

describe('every path delivers what structuredClone delivers', () => {
  it('on this thread: channels (bytes and hub), Mutex, RwLock, Arc, Arc<Map>', async () => {
    await fc.assert(fc.asyncProperty(valueRecipes(), (recipe) => check(localPaths, recipe)), runs(300));
  }, timeout);

  it('on this thread, objects built key by key (as a process without code generation builds them)', async () => {
    useLiterals(false);
    try {
      await fc.assert(fc.asyncProperty(valueRecipes(), (recipe) => check(localPaths, recipe)), runs(150));
    } finally {
      useLiterals(true);
    }
  }, timeout);

  it('across threads: channel main → worker → main (bytes and hub)', async () => {
    await fc.assert(fc.asyncProperty(valueRecipes(), (recipe) => check(echo.paths, recipe)), runs(150));
  }, timeout);

  it('across threads: move + join, a Mutex read in another thread', async () => {
    await fc.assert(fc.asyncProperty(valueRecipes(), (recipe) => check(threadPaths, recipe)), runs(25));
  }, timeout);
});

/** The refusal on `path`, or undefined when the value crossed. */
async function refusal(path: Path, value: unknown): Promise<NotCloneableError | undefined> {
  try {
    await path.send(value);
    return undefined;
  } catch (error) {
    if (error instanceof NotCloneableError) return error;
    throw error;
  }
}

describe('every path refuses what cannot cross, alike', () => {
  it('the same values, with the same path to the bad part, naming where', async () => {
    const paths = [...localPaths, echo.paths[0]!, echo.paths[1]!];
    await fc.assert(
      fc.asyncProperty(valueRecipes({ withBad: true }), async (recipe) => {
        let cloneRefused = false;
        try {
          // structuredClone of the value and of the Error fields fearless keeps beyond it.
          expectedOf(build(recipe));
        } catch {
          cloneRefused = true;
        }
        const refusals = await Promise.all(paths.map(async (path) => ({ path, error: await refusal(path, build(recipe)) })));
        const first = refusals[0]!.error;
        if (first === undefined) {
          // Crossed on the first path: then it crosses everywhere, and structuredClone takes it.
          for (const { path, error } of refusals) expect(error, path.name).toBeUndefined();
          expect(cloneRefused).toBe(false);
          return;
        }
        // Refused: structuredClone refuses it too, unless the bad part is a class with methods
        // (this package refuses those: their clone would lose the methods).
        if (!cloneRefused) expect(first.reason).toMatch(/has methods/);
        for (const { path, error } of refusals) {
          expect(error, path.name).toBeInstanceOf(NotCloneableError);
          expect(error!.path, path.name).toBe(`${path.prefix ?? ''}${first.path}`);
          expect(error!.reason, path.name).toBe(first.reason);
          expect(error!.message, path.name).toContain(`${path.place}${error!.path === '' ? '' : ` at ${error!.path}`} cannot cross`);
        }
      }),
      runs(300),
    );
  }, timeout);
});
