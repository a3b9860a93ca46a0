import plugin from 'fearless/eslint-plugin';
import { fixtureDir, runRuleTests } from './rule-tester.js';

const rule = plugin.rules['no-spawn-capture'];

// Every case starts with this line, so the code under test begins on line 2.
const header = `import { spawn, move, Mutex, ThreadPool } from 'fearless';`;
const code = (body: string): string => `${header}\n${body}`;

/** The reasons the rule gives, in the `Send<T>` marker type's words (src/marker/reasons.ts). */
const reasons = {
  function: 'functions cannot cross a worker boundary (send plain data; the methods of a class instance are functions too)',
  thenable: 'a Promise or thenable cannot cross a worker boundary (await it and send the result)',
  branded: 'this type is branded NotSend (it must stay on the thread that made it)',
  unknown: 'unknown cannot be proven Send (narrow it to a concrete type first)',
};

runRuleTests('no-spawn-capture', rule, {
  valid: [
    {
      // Valid because the closure uses only what move() hands it as parameters.
      code: code(`const xs = [1, 2];
spawn(move(xs), (ys) => ys.length);`),
    },
    {
      // Valid because globals exist in every worker.
      code: code(`spawn(() => {
  console.log(Math.max(1, 2), JSON.stringify({}), structuredClone([1]));
  setTimeout(() => undefined, 1);
  return new SharedArrayBuffer(8).byteLength + Atomics.load(new Int32Array(4), 0);
});`),
    },
    {
      // Valid because fearless's exports, imported under their own names, exist in the worker.
      code: code(`spawn(() => new Mutex(1));`),
    },
    {
      // Valid because a re-export of fearless's Mutex under its own name is the worker's Mutex too.
      code: `import { spawn } from 'fearless';
import { Mutex } from './prelude.js';
spawn(() => new Mutex(1));`,
    },
    {
      // Valid because type-only references read no value.
      code: code(`type Job = { id: number };
const template = { id: 1 };
spawn(() => {
  const job: Job = { id: 2 };
  const copy: typeof template | undefined = undefined;
  return job.id + (copy ? 1 : 0);
});`),
    },
    {
      // Valid because the closure's own locals and nested functions stay inside it.
      code: code(`spawn(() => {
  const total = [1, 2].reduce((sum, n) => sum + n, 0);
  function double(n: number) { return n * 2; }
  return double(total);
});`),
    },
    {
      // Valid because pool.map hands each item to the closure as its parameter.
      code: code(`const pool = new ThreadPool();
void pool.map([1, 2, 3], (n) => n * n);`),
    },
    {
      // Valid because an ambient declaration names a global of the worker too.
      code: code(`declare const DEBUG: boolean;
spawn(() => DEBUG);`),
    },
    {
      // Valid because this `spawn` is not fearless's: its closure is never serialised.
      code: `function spawn(fn: () => number) { return fn(); }
const limit = 10;
spawn(() => limit);`,
    },
    {
      // Valid because a named function expression may refer to itself.
      code: code(`spawn(function fib(): number { return fib.length; });`),
    },
  ],
  invalid: [
    {
      // Invalid because `limit` is a local of this thread; the suggestion moves it in.
      code: code(`const limit = 10;
spawn(() => limit * 2);`),
      errors: [
        {
          messageId: 'capture',
          line: 3,
          column: 13,
          data: { name: 'limit', callee: 'spawn()' },
          suggestions: [{ messageId: 'moveIntoThread', data: { name: 'limit' }, output: code(`const limit = 10;
spawn(move(limit), (limit) => limit * 2);`) }],
        },
      ],
    },
    {
      // Invalid because `b` is captured next to a moved `a`: the suggestion extends the move().
      code: code(`const a = [1];
const b = [2];
spawn(move(a), (a) => a.concat(b));`),
      errors: [
        {
          messageId: 'capture',
          line: 4,
          column: 32,
          suggestions: [{ messageId: 'moveIntoThread', data: { name: 'b' }, output: code(`const a = [1];
const b = [2];
spawn(move(a, b), (a, b) => a.concat(b));`) }],
        },
      ],
    },
    {
      // Invalid because of `b`; a lone unparenthesised parameter gets parentheses.
      code: code(`const a = [1];
const b = [2];
spawn(move(a), x => x.concat(b));`),
      errors: [
        {
          messageId: 'capture',
          line: 4,
          column: 30,
          suggestions: [{ messageId: 'moveIntoThread', data: { name: 'b' }, output: code(`const a = [1];
const b = [2];
spawn(move(a, b), (x, b) => x.concat(b));`) }],
        },
      ],
    },
    {
      // Invalid because `data` is captured; move is not imported yet, so the suggestion imports it.
      code: `import { spawn } from 'fearless';
const data = { n: 1 };
spawn(function () { return data.n; });`,
      errors: [
        {
          messageId: 'capture',
          line: 3,
          column: 28,
          suggestions: [{ messageId: 'moveIntoThread', data: { name: 'data' }, output: `import { spawn, move } from 'fearless';
const data = { n: 1 };
spawn(move(data), function (data) { return data.n; });` }],
        },
      ],
    },
    {
      // Invalid because a function cannot be moved: the message names it.
      code: code(`const onDone = () => console.log('done');
spawn(() => onDone());`),
      errors: [{ messageId: 'captureNotSend', line: 3, column: 13, data: { name: 'onDone', callee: 'spawn()', path: 'onDone', reason: reasons.function }, suggestions: [] }],
    },
    {
      // Invalid because `job` holds a function: the message names the path to it.
      code: code(`const job = { id: 1, cb: () => 2 };
spawn(() => job.id);`),
      errors: [{ messageId: 'captureNotSend', line: 3, column: 13, data: { name: 'job', callee: 'spawn()', path: 'job.cb', reason: reasons.function } }],
    },
    {
      // Invalid because a module function does not exist in the worker.
      code: code(`function helper() { return 1; }
spawn(() => helper());`),
      errors: [{ messageId: 'captureNotSend', line: 3, column: 13, data: { name: 'helper', callee: 'spawn()', path: 'helper', reason: reasons.function } }],
    },
    {
      // Invalid because a class declared in the module does not exist in the worker.
      code: code(`class Point { constructor(readonly x: number) {} }
spawn(() => new Point(1).x);`),
      errors: [{ messageId: 'captureNotSend', line: 3, column: 17, data: { name: 'Point', callee: 'spawn()', path: 'Point', reason: reasons.function } }],
    },
    {
      // Invalid because a re-exported value that is not fearless's does not exist in the worker.
      code: code(`import { retries, Mutex as Lock } from './prelude.js';
spawn(() => retries + (new Lock(1) ? 1 : 0));`),
      errors: [
        { messageId: 'captureImport', line: 3, column: 13, data: { name: 'retries', callee: 'spawn()', source: './prelude.js' } },
        { messageId: 'captureImport', line: 3, column: 28, data: { name: 'Lock', callee: 'spawn()', source: './prelude.js' } },
      ],
    },
    {
      // Invalid because a record of callbacks holds functions under every key.
      code: code(`const handlers: Record<string, () => void> = {};
spawn(() => Object.keys(handlers).length);`),
      errors: [{ messageId: 'captureNotSend', line: 3, column: 25, data: { name: 'handlers', callee: 'spawn()', path: 'handlers[key]', reason: reasons.function } }],
    },
    {
      // Invalid because a module's imports do not exist in the worker.
      code: code(`import { readFileSync } from 'node:fs';
spawn(() => readFileSync('x.txt', 'utf8'));`),
      errors: [{ messageId: 'captureImport', line: 3, column: 13, data: { name: 'readFileSync', callee: 'spawn()', source: 'node:fs' } }],
    },
    {
      // Invalid because a renamed fearless import does not exist in the worker under that name.
      code: code(`import { Mutex as M } from 'fearless';
spawn(() => new M(1));`),
      errors: [{ messageId: 'captureRenamedImport', line: 3, column: 17, data: { name: 'M', callee: 'spawn()', imported: 'Mutex' } }],
    },
    {
      // Invalid because a namespace import of fearless does not exist in the worker.
      code: `import * as fearless from 'fearless';
fearless.spawn(() => new fearless.Mutex(1));`,
      errors: [{ messageId: 'captureNamespaceImport', line: 2, column: 26, data: { name: 'fearless', callee: 'fearless.spawn()' } }],
    },
    {
      // Invalid because the write happens on another thread and is lost.
      code: code(`let count = 0;
spawn(() => {
  count += 1;
});`),
      errors: [{ messageId: 'captureWrite', line: 4, column: 3, data: { name: 'count', callee: 'spawn()' } }],
    },
    {
      // Invalid because pool.map closures are serialised too (no suggestion: map has no move slot).
      code: code(`const pool = new ThreadPool();
const factor = 2;
void pool.map([1, 2], (n) => n * factor);`),
      errors: [{ messageId: 'capture', line: 4, column: 34, data: { name: 'factor', callee: 'pool.map()' }, suggestions: [] }],
    },
    {
      // Invalid because pool.spawn closures are serialised like spawn's.
      code: code(`const pool = new ThreadPool();
const factor = 2;
pool.spawn(() => factor);`),
      errors: [
        {
          messageId: 'capture',
          line: 4,
          column: 18,
          data: { name: 'factor', callee: 'pool.spawn()' },
          suggestions: [{ messageId: 'moveIntoThread', data: { name: 'factor' }, output: code(`const pool = new ThreadPool();
const factor = 2;
pool.spawn(move(factor), (factor) => factor);`) }],
        },
      ],
    },
    {
      // Invalid because a function passed by name is serialised with its captures.
      code: code(`const factor = 2;
function work() { return factor * 3; }
spawn(work);`),
      errors: [{ messageId: 'capture', line: 3, column: 26, suggestions: [] }],
    },
    {
      // Invalid because a Promise cannot cross a worker boundary.
      code: code(`const pending = Promise.resolve(1);
spawn(async () => await pending);`),
      errors: [{ messageId: 'captureNotSend', line: 3, column: 25, data: { name: 'pending', callee: 'spawn()', path: 'pending', reason: reasons.thenable } }],
    },
    {
      // Invalid because a class instance's methods cannot cross.
      code: code(`class Counter { n = 0; inc() { this.n += 1; } }
const counter = new Counter();
spawn(() => counter.n);`),
      errors: [{ messageId: 'captureNotSend', line: 4, column: 13, data: { name: 'counter', callee: 'spawn()', path: 'counter.inc', reason: reasons.function } }],
    },
    {
      // Invalid because a NotSend-branded value cannot be moved (like Rust's Rc).
      code: code(`import type { NotSend } from 'fearless';
type Local = { n: number } & NotSend;
declare function make(): Local;
const local = make();
spawn(() => local.n);`),
      errors: [{ messageId: 'captureNotSend', line: 6, column: 13, data: { name: 'local', callee: 'spawn()', path: 'local', reason: reasons.branded } }],
    },
    {
      // Invalid because `unknown` cannot be proven Send.
      code: code(`declare function load(): unknown;
const loaded = load();
spawn(() => loaded);`),
      errors: [{ messageId: 'captureNotSend', line: 4, column: 13, data: { name: 'loaded', callee: 'spawn()', path: 'loaded', reason: reasons.unknown } }],
    },
  ],
});

// The published declarations (dist/src, re-exported across files) must be recognised the same way.
runRuleTests('no-spawn-capture (published fearless types)', rule, {
  valid: [
    {
      // Valid because the closure takes what it needs as moved parameters.
      code: `import { spawn, move } from 'fearless';
const limit = 10;
void spawn(move(limit), (limit) => limit * 2).join();`,
    },
  ],
  invalid: [
    {
      // Invalid because `limit` is captured from this thread.
      code: `import { spawn } from 'fearless';
const limit = 10;
void spawn(() => limit * 2).join();`,
      errors: [
        {
          messageId: 'capture',
          line: 3,
          column: 18,
          suggestions: [{ messageId: 'moveIntoThread', data: { name: 'limit' }, output: `import { spawn, move } from 'fearless';
const limit = 10;
void spawn(move(limit), (limit) => limit * 2).join();` }],
        },
      ],
    },
    {
      // Invalid because the published scope's s.spawn and pool.map with a moved context run elsewhere too.
      code: `import { scope, move, ThreadPool } from 'fearless';
const limit = 10;
await scope(async (s) => {
  s.spawn(() => limit);
});
await new ThreadPool().map(move(1), [1, 2], (item, step) => item + step + limit);`,
      errors: [
        {
          messageId: 'capture',
          line: 4,
          column: 17,
          data: { name: 'limit', callee: 's.spawn()' },
          suggestions: [{ messageId: 'moveIntoThread', data: { name: 'limit' }, output: `import { scope, move, ThreadPool } from 'fearless';
const limit = 10;
await scope(async (s) => {
  s.spawn(move(limit), (limit) => limit);
});
await new ThreadPool().map(move(1), [1, 2], (item, step) => item + step + limit);` }],
        },
        { messageId: 'capture', line: 6, column: 75, data: { name: 'limit', callee: 'new ThreadPool().map()' } },
      ],
    },
  ],
}, `${fixtureDir}/real`);
