import plugin from 'fearless/eslint-plugin';
import { fixtureDir, runRuleTests } from './rule-tester.js';

const rule = plugin.rules['no-unjoined-spawn'];

// Every case starts with this line, so the code under test begins on line 2.
const header = `import { spawn, scope, ThreadPool, JoinHandle } from 'fearless';`;
const code = (body: string): string => `${header}\n${body}`;

runRuleTests('no-unjoined-spawn', rule, {
  valid: [
    {
      // Valid because abortOn returns the same handle, which is joined.
      code: code(`const signal = AbortSignal.timeout(100);
const handle = spawn(() => 1).abortOn(signal);
await handle.join();
await spawn(() => 2).abortOn(signal).join();
const other = spawn(() => 3);
other.abortOn(signal);
await other.join();`),
    },
    {
      // Valid because the handle is joined.
      code: code(`const handle = spawn(() => 1);
await handle.join();`),
    },
    {
      // Valid because the handle is joined where it is created.
      code: code(`const result = await spawn(() => 1).join();`),
    },
    {
      // Valid because returning the handle hands the duty to join it to the caller.
      code: code(`function start(): JoinHandle<number> {
  return spawn(() => 1);
}
const start2 = () => spawn(() => 2);`),
    },
    {
      // Valid because the wrapper's handle is joined, and a call returning something else is not a handle.
      code: `import { startIndexer } from './helpers.js';
await startIndexer().join();
const handle = startIndexer();
await handle.join();
[1].map((n) => n);`,
    },
    {
      // Valid because the handles are stored and joined together.
      code: code(`const handles = [1, 2].map((n) => spawn(() => n));
const more: JoinHandle<number>[] = [];
more.push(spawn(() => 3));
await Promise.all([...handles, ...more].map((h) => h.join()));`),
    },
    {
      // Valid because the handle is passed on to a function that takes over.
      code: code(`declare function supervise(handle: JoinHandle<number>): void;
const handle = spawn(() => 1);
supervise(handle);`),
    },
    {
      // Valid because `void` drops the handle on purpose.
      code: code(`void spawn(() => 1);`),
    },
    {
      // Valid because pool.map returns a Promise of results, not a JoinHandle.
      code: code(`const pool = new ThreadPool();
await pool.map([1], (n) => n);`),
    },
    {
      // Valid because this `spawn` is not fearless's.
      code: `function spawn(fn: () => void) { fn(); }
spawn(() => undefined);`,
    },
    {
      // Valid because a scope joins every thread spawned through it when its body settles.
      code: code(`const total = await scope(async (s) => {
  s.spawn(() => 1);
  const kept = s.spawn(() => 2);
  return 3;
});`),
    },
    {
      // Valid because the collected handles are joined through map before they are awaited.
      code: code(`const handles: JoinHandle<number>[] = [];
for (let shard = 0; shard < 4; shard++) handles.push(spawn(() => 1));
const parts = await Promise.all(handles.map((handle) => handle.join()));`),
    },
    {
      // Valid because each collected handle is joined in a for...of loop.
      code: code(`const handles = [];
handles.push(spawn(() => 1));
for (const handle of handles) await handle.join();`),
    },
    {
      // Valid because the array of handles is returned: the caller joins them.
      code: code(`function startAll(): JoinHandle<number>[] {
  const started: JoinHandle<number>[] = [];
  started.push(spawn(() => 1));
  return started;
}`),
    },
    {
      // Valid because Promise.all is given the join() promises, not the handles.
      code: code(`const a = spawn(() => 1);
const b = spawn(() => 2);
await Promise.all([a.join(), b.join()]);`),
    },
    {
      // Valid because an indexed element is read, to be joined there.
      code: code(`const slots: JoinHandle<number>[] = [];
slots[0] = spawn(() => 1);
await slots[0]!.join();`),
    },
  ],
  invalid: [
    {
      // Invalid because abortOn returns the handle, and dropping it drops the thread's result.
      code: code(`spawn(() => 1).abortOn(AbortSignal.timeout(100));`),
      errors: [{ messageId: 'dropped', line: 2 }],
    },
    {
      // Invalid because calling abortOn on a handle is not joining it.
      code: code(`const handle = spawn(() => 1);
handle.abortOn(AbortSignal.timeout(100));`),
      errors: [{ messageId: 'neverJoined', line: 2 }],
    },
    {
      // Invalid because the handle is dropped in an expression statement.
      code: code(`spawn(() => 1);`),
      errors: [{ messageId: 'dropped', line: 2, column: 1, data: { callee: 'spawn()' } }],
    },
    {
      // Invalid because pool.spawn returns a JoinHandle as well.
      code: code(`const pool = new ThreadPool();
pool.spawn(() => 1);`),
      errors: [{ messageId: 'dropped', line: 3, column: 1, data: { callee: 'pool.spawn()' } }],
    },
    {
      // Invalid because the binding is never joined, returned or passed on.
      code: code(`const handle = spawn(() => 1);`),
      errors: [{ messageId: 'neverJoined', line: 2, column: 7, data: { name: 'handle', callee: 'spawn()' } }],
    },
    {
      // Invalid because polling isFinished is not joining: a panic would still go unnoticed.
      code: code(`const handle = spawn(() => 1);
if (handle.isFinished) console.log('done');`),
      errors: [{ messageId: 'neverJoined', line: 2, column: 7 }],
    },
    {
      // Invalid because reading a property of the fresh handle drops it.
      code: code(`console.log(spawn(() => 1).isFinished);`),
      errors: [{ messageId: 'dropped', line: 2, column: 13 }],
    },
    {
      // Invalid because a block-bodied arrow drops the handle (an expression body would return it).
      code: code(`[1, 2].forEach((n) => {
  spawn(() => n);
});`),
      errors: [{ messageId: 'dropped', line: 3, column: 3 }],
    },
    {
      // Invalid because a wrapper's JoinHandle is dropped: the rule follows the type, not the name spawn.
      code: code(`function start(): JoinHandle<number> {
  return spawn(() => 1);
}
start();
const later = start();`),
      errors: [
        { messageId: 'dropped', line: 5, column: 1, data: { callee: 'start()' } },
        { messageId: 'neverJoined', line: 6, column: 7, data: { name: 'later', callee: 'start()' } },
      ],
    },
    {
      // Invalid because the wrapper's handle is dropped in a file that never imports fearless (the wrapper is imported).
      code: `import { startIndexer } from './helpers.js';
startIndexer();`,
      errors: [{ messageId: 'dropped', line: 2, column: 1, data: { callee: 'startIndexer()' } }],
    },
    {
      // Invalid because handles pushed into an array that nobody joins are dropped all the same.
      code: code(`const handles: JoinHandle<number>[] = [];
for (let shard = 0; shard < 4; shard++) handles.push(spawn(() => shard));
console.log(handles.length);`),
      errors: [{ messageId: 'collectedNeverJoined', line: 2, column: 7, data: { name: 'handles', callee: 'spawn()' } }],
    },
    {
      // Invalid because Promise.all of JoinHandles awaits nothing: a JoinHandle is not a thenable.
      code: code(`const handles: JoinHandle<number>[] = [];
handles.push(spawn(() => 1));
handles.push(spawn(() => 2));
await Promise.all(handles);`),
      errors: [{ messageId: 'notThenable', line: 5, column: 19, data: { combinator: 'Promise.all' } }],
    },
    {
      // Invalid because an array literal of handles is no better, nor is allSettled.
      code: code(`const pool = new ThreadPool();
await Promise.allSettled([pool.spawn(() => 1), pool.spawn(() => 2)]);`),
      errors: [{ messageId: 'notThenable', line: 3, column: 26, data: { combinator: 'Promise.allSettled' } }],
    },
    {
      // Invalid because handles mapped into an array and raced are never joined either.
      code: code(`const handles = [1, 2].map(() => spawn(() => 1));
const first = await Promise.race(handles);`),
      errors: [{ messageId: 'notThenable', line: 3, column: 34 }],
    },
    {
      // Invalid because a scope's own handles are fine, but a plain spawn inside the scope is not joined by it.
      code: code(`await scope(async (s) => {
  s.spawn(() => 1);
  spawn(() => 2);
});`),
      errors: [{ messageId: 'dropped', line: 4, column: 3, data: { callee: 'spawn()' } }],
    },
  ],
});

// The published declarations (dist/src, re-exported across files) must be recognised the same way.
runRuleTests('no-unjoined-spawn (published fearless types)', rule, {
  valid: [
    {
      // Valid because the handle is joined.
      code: `import { spawn } from 'fearless';
await spawn(() => 1).join();`,
    },
    {
      // Valid because the published scope joins what its s.spawn started.
      code: `import { scope } from 'fearless';
await scope(async (s) => {
  s.spawn(() => 1);
});`,
    },
  ],
  invalid: [
    {
      // Invalid because the handle is dropped.
      code: `import { spawn } from 'fearless';
spawn(() => 1);`,
      errors: [{ messageId: 'dropped', line: 2, column: 1 }],
    },
    {
      // Invalid because the published JoinHandle is not a thenable either.
      code: `import { spawn } from 'fearless';
const handles = [spawn(() => 1), spawn(() => 2)];
await Promise.all(handles);`,
      errors: [{ messageId: 'notThenable', line: 3, column: 19 }],
    },
  ],
}, `${fixtureDir}/real`);
