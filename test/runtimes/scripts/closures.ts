/**
 * What a spawned closure may do under the runtime running this script: import relative to the
 * file that called spawn and import the package by name (both resolved from this file), and
 * use the syntax a runtime's transpiler may rewrite.
 */
import assert from 'node:assert/strict';
import { move, spawn } from 'fearless';
import { suite } from './suite.js';

const check = suite('closures');

await check('import() inside a closure resolves relative to the calling file, and the package by name', async () => {
  const kinds = await spawn(async () => {
    const relative = await import('./suite.js');
    const byName = await import('fearless');
    return [typeof relative.suite, typeof byName.syncChannel];
  }).join();
  assert.deepEqual(kinds, ['function', 'function']);
});

await check('destructuring, defaults, spread, classes, generators and using survive the trip', async () => {
  const input: { a: number; rest: number[]; scale?: number } = { a: 1, rest: [2, 3] };
  const result = await spawn(move(input), ({ a, rest, scale = 10 }) => {
    class Box {
      #value: number;
      constructor(value: number) {
        this.#value = value;
      }
      get doubled(): number {
        return this.#value * 2;
      }
    }
    function* upTo(limit: number) {
      for (let index = 0; index < limit; index++) yield index;
    }
    const disposed: string[] = [];
    {
      using _first = { [Symbol.dispose]: () => disposed.push('first') };
      using _second = { [Symbol.dispose]: () => disposed.push('second') };
    }
    return { sum: [a, ...rest].reduce((total, value) => total + value * scale, 0), box: new Box(21).doubled, counted: [...upTo(3)], disposed };
  }).join();
  assert.deepEqual(result, { sum: 60, box: 42, counted: [0, 1, 2], disposed: ['second', 'first'] });
});
