// no-spawn-capture on functions passed by reference (issue 12), scoped threads and pool.map with
// a moved context (issue 15), and `this` in an arrow closure (issue 14).
import plugin from 'fearless/eslint-plugin';
import { runRuleTests } from './rule-tester.js';

const rule = plugin.rules['no-spawn-capture'];

// Every case starts with these lines, so the code under test begins on line 4.
const header = `import { spawn, move, scope, ThreadPool } from 'fearless';
import { sha, salted, formatted, pure, lazySha, locked, library } from './hashing.js';
const pool = new ThreadPool();`;
const code = (body: string): string => `${header}\n${body}`;

runRuleTests('no-spawn-capture (by reference, scopes, pool.map context, this)', rule, {
  valid: [
    {
      // Valid because the imported function uses only its parameters, its locals and globals.
      code: code(`void spawn(move('abc'), pure).join();`),
    },
    {
      // Valid because the imported function imports what it needs inside itself.
      code: code(`void spawn(move('abc'), lazySha).join();`),
    },
    {
      // Valid because fearless's exports under their own names exist in every worker.
      code: code(`await pool.map([1, 2], locked);`),
    },
    {
      // Valid because a method of an imported object literal that uses only its parameter is self-contained.
      code: code(`await pool.map([1, 2], library.twice);`),
    },
    {
      // Valid because the context of pool.map is moved in and taken as parameters after the item.
      code: code(`const factor = 3;
await pool.map(move(factor), [1, 2], (item, factor) => item * factor);`),
    },
    {
      // Valid because a scope's spawn takes moved values as parameters, like spawn.
      code: code(`const rows = [1, 2];
await scope(async (s) => {
  s.spawn(move(rows), (rows) => rows.length);
});`),
    },
    {
      // Valid because `this` inside a function expression is that function's own, not the caller's.
      code: code(`void spawn(() => {
  const counter = { n: 1, next: function () { return this.n + 1; } };
  return counter.next();
}).join();`),
    },
  ],
  invalid: [
    {
      // Invalid because the imported function uses the module's `createHash` import, missing in the worker.
      code: code(`void spawn(move('abc'), sha).join();`),
      errors: [
        {
          messageId: 'referenceCaptureImport',
          line: 4,
          column: 25,
          data: { fn: 'sha', callee: 'spawn()', name: 'createHash', file: 'hashing.ts', line: '10', source: 'node:crypto' },
        },
      ],
    },
    {
      // Invalid because a pool's spawn and map run the function by reference on another thread too.
      code: code(`void pool.spawn(move('abc'), sha).join();
await pool.map(['a', 'b'], sha);`),
      errors: [
        { messageId: 'referenceCaptureImport', line: 4, column: 30 },
        { messageId: 'referenceCaptureImport', line: 5, column: 28 },
      ],
    },
    {
      // Invalid because the function reads a module-level constant that only this thread has.
      code: code(`void spawn(move('abc'), salted).join();`),
      errors: [{ messageId: 'referenceCapture', line: 4, column: 25, data: { fn: 'salted', callee: 'spawn()', name: 'salt', file: 'hashing.ts', line: '13' } }],
    },
    {
      // Invalid because the module-level map holds functions: it could not be moved there either.
      code: code(`void spawn(move('abc'), formatted).join();`),
      errors: [
        {
          messageId: 'referenceCaptureNotSend',
          line: 4,
          column: 25,
          data: { fn: 'formatted', callee: 'spawn()', name: 'formatters', file: 'hashing.ts', line: '16', path: 'formatters(value)', reason: 'functions cannot cross a worker boundary (send plain data; the methods of a class instance are functions too)' },
        },
      ],
    },
    {
      // Invalid because a function of this file passed to pool.map by reference captures like an inline one.
      code: code(`const limit = 10;
function clamp(item: number): number {
  return Math.min(item, limit);
}
await pool.map([1, 20], clamp);`),
      errors: [{ messageId: 'capture', line: 6, column: 25 }],
    },
    {
      // Invalid because the context of pool.map must be moved, not captured.
      code: code(`const factor = 3;
await pool.map(move(), [1, 2], (item) => item * factor);`),
      errors: [{ messageId: 'capture', line: 5, column: 49, data: { name: 'factor', callee: 'pool.map()' } }],
    },
    {
      // Invalid because a scope's threads run elsewhere: they cannot see the scope's own bindings.
      code: code(`const rows = [1, 2];
await scope(async (s) => {
  s.spawn(() => rows.length);
});`),
      errors: [
        {
          messageId: 'capture',
          line: 6,
          column: 17,
          data: { name: 'rows', callee: 's.spawn()' },
          suggestions: [
            {
              messageId: 'moveIntoThread',
              data: { name: 'rows' },
              output: code(`const rows = [1, 2];
await scope(async (s) => {
  s.spawn(move(rows), (rows) => rows.length);
});`),
            },
          ],
        },
      ],
    },
    {
      // Invalid because an arrow takes `this` from the method around it, which the worker does not have.
      code: code(`class Indexer {
  size = 4;
  start() {
    return spawn(() => this.size * 2);
  }
}`),
      errors: [{ messageId: 'captureThis', line: 7, column: 24, data: { callee: 'spawn()' } }],
    },
  ],
});
