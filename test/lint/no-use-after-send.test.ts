import plugin from 'fearless/eslint-plugin';
import { fixtureDir, runRuleTests } from './rule-tester.js';

const rule = plugin.rules['no-use-after-send'];

// Every case starts with these three lines, so the code under test begins on line 4 and its
// columns are counted from the left margin.
const header = `import { channel, syncChannel, move, spawn, Mutex, Arc } from 'fearless';
declare const c: boolean;
const [tx] = channel<number[]>();`;
const code = (body: string): string => `${header}\n${body}`;

runRuleTests('no-use-after-send', rule, {
  valid: [
    {
      // Valid because the binding is not used after it is sent.
      code: code(`const xs = [1, 2];
tx.send(xs);`),
    },
    {
      // Valid because numbers are copied, not moved: primitives are Copy.
      code: code(`const [ntx] = channel<number>();
let n = 1;
ntx.send(n);
n += 1;`),
    },
    {
      // Valid because assignment makes the binding live again (rustc: re-initialisation).
      code: code(`let xs = [1];
tx.send(xs);
xs = [2];
xs.push(3);`),
    },
    {
      // Valid because the path that moved `xs` returns early.
      code: code(`function f() {
  const xs = [1];
  if (c) {
    tx.send(xs);
    return;
  }
  return xs.length;
}`),
    },
    {
      // Valid because the path that moved `xs` throws.
      code: code(`function f() {
  const xs = [1];
  if (c) {
    tx.send(xs);
    throw new Error('sent');
  }
  return xs.length;
}`),
    },
    {
      // Valid because the closure that reads the binding is called before the move.
      code: code(`const xs = [1];
const size = () => xs.length;
size();
tx.send(xs);`),
    },
    {
      // Valid because the function only re-assigns the binding: it reads nothing that was moved.
      code: code(`let xs = [1];
const reset = () => {
  xs = [];
};
tx.send(xs);
reset();
xs.push(1);`),
    },
    {
      // Valid because a Mutex is a Sync handle: moving it shares it, like a Rust reference.
      code: code(`const m = new Mutex([1]);
spawn(move(m), (shared) => shared.lockSync());
m.lockSync();`),
    },
    {
      // Valid because typed arrays over a SharedArrayBuffer are shared memory: the Mutex sees them in place.
      code: code(`const samples = new Int32Array(new SharedArrayBuffer(16));
const shared = new SharedArrayBuffer(8);
const m = new Mutex({ samples, shared });
console.log(samples[0], shared.byteLength);
m.lockSync();`),
    },
    {
      // Valid because a trySend that returned false (channel full) left the value here.
      code: code(`const [stx] = syncChannel<number[]>(1);
const xs = [1];
while (!stx.trySend(xs)) {
  console.log('full, retrying with', xs.length);
}
const ys = [2];
const sent = stx.trySend(ys);
if (!sent) console.log(ys.length);`),
    },
    {
      // Valid because an Arc is shared, not moved, when it is sent.
      code: code(`const [atx] = channel<Arc<number[]>>();
const arc = new Arc([1]);
atx.send(arc);
arc.get();`),
    },
    {
      // Valid because each iteration declares a fresh binding.
      code: code(`for (let i = 0; i < 3; i++) {
  const xs = [i];
  tx.send(xs);
}`),
    },
    {
      // Valid because the loop re-assigns the binding after each move.
      code: code(`let xs = [0];
for (let i = 0; i < 3; i++) {
  tx.send(xs);
  xs = [i];
}`),
    },
    {
      // Valid because the loop breaks right after the move: no later iteration sees it.
      code: code(`const xs = [0];
while (c) {
  tx.send(xs);
  break;
}`),
    },
    {
      // Valid because a failed send gives the value back (SendError.value): the catch block runs
      // on the path where the send threw, before the move.
      code: code(`const xs = [1];
try {
  tx.send(xs);
} catch {
  console.log(xs.length);
}`),
    },
    {
      // Valid because try/catch around unrelated code does not move anything.
      code: code(`const xs = [1];
try {
  JSON.parse('[]');
} catch (error) {
  console.log(error);
} finally {
  console.log(xs.length);
}
tx.send(xs);`),
    },
    {
      // Valid because a for-of loop binds a fresh value on every iteration.
      code: code(`const batches = [[1], [2]];
for (const batch of batches) {
  tx.send(batch);
}`),
    },
    {
      // Valid because each received message is a new binding before it is forwarded.
      code: code(`import type { Receiver } from 'fearless';
async function forward(rx: Receiver<number[]>) {
  while (c) {
    const message = await rx.recv();
    tx.send(message);
  }
}`),
    },
    {
      // Valid because `continue` skips the use on the path that moved.
      code: code(`const xs = [1];
for (let i = 0; i < 2; i++) {
  if (i === 0) {
    console.log(xs.length);
    continue;
  }
  tx.send(xs);
  break;
}`),
    },
    {
      // Valid because a closure created before the move is not a use at the move (only calling it after is).
      code: code(`const xs = [1];
const f = () => xs.length;
tx.send(xs);`),
    },
    {
      // Valid because the inner `xs` is a different binding.
      code: code(`const xs = [1];
tx.send(xs);
{
  const xs = [2];
  xs.push(1);
}`),
    },
    {
      // Valid because a type-only reference reads no value.
      code: code(`const xs = [1];
tx.send(xs);
const ys: typeof xs = [];
ys.push(1);`),
    },
    {
      // Valid because postMessage moves only what its transfer list names, not the message.
      code: code(`import { MessageChannel } from 'node:worker_threads';
const { port1 } = new MessageChannel();
const message = { id: 1 };
port1.postMessage(message);
console.log(message.id);`),
    },
    {
      // Valid because structuredClone without a transfer list copies.
      code: code(`const buf = new ArrayBuffer(8);
structuredClone(buf);
console.log(buf.byteLength);`),
    },
    {
      // Valid because this `send` is a user class's method, not a fearless Sender's.
      code: code(`class Sender { send(value: number[]) { return value; } }
const mine = new Sender();
const xs = [1];
mine.send(xs);
xs.push(2);`),
    },
    {
      // Valid because `inspect` borrows: its parameter is not declared Owned<T>.
      code: code(`import { inspect } from './helpers.js';
const job = { id: 1, payload: [] };
inspect(job);
console.log(job.id);`),
    },
    {
      // Valid because a local function named `move` is not fearless's move.
      code: `function move(value: unknown) { return value; }
const xs = [1];
move(xs);
xs.push(2);`,
    },
    {
      // Valid because moving a part of an object is not tracked.
      // TODO: rustc reports a use of a partially moved value; the rule tracks whole bindings only.
      code: code(`const job = { items: [1] };
tx.send(job.items);
job.items.push(2);`),
    },
    {
      // Valid because each call of the callback is its own code path.
      // TODO: the callback may run twice (moving `xs` twice); calls are not followed.
      code: code(`const xs = [1];
[1, 2].forEach(() => tx.send(xs));`),
    },
  ],
  invalid: [
    {
      // Invalid because `xs` is read after it was sent (rustc E0382 "use of moved value").
      code: code(`const xs = [1, 2];
tx.send(xs);
console.log(xs.length);`),
      errors: [{ messageId: 'moved', line: 6, column: 13, data: { name: 'xs', how: 'sent with `tx.send()`', where: '5:9' } }],
    },
    {
      // Invalid because the second send moves a value the first already moved.
      code: code(`const xs = [1];
tx.send(xs);
tx.send(xs);`),
      errors: [{ messageId: 'moved', line: 6, column: 9 }],
    },
    {
      // Invalid because `xs` is moved in one branch and read after the join (rustc: branch case).
      code: code(`const xs = [1];
if (c) {
  tx.send(xs);
}
xs.push(2);`),
      errors: [{ messageId: 'maybeMoved', line: 8, column: 1, data: { name: 'xs', how: 'sent with `tx.send()`', where: '6:11' } }],
    },
    {
      // Invalid because a short-circuit moves on one side only.
      code: code(`const xs = [1];
c && tx.send(xs);
console.log(xs);`),
      errors: [{ messageId: 'maybeMoved', line: 6, column: 13 }],
    },
    {
      // Invalid because a `catch` that rethrows leaves only the path where the send succeeded.
      code: code(`const xs = [1];
try {
  tx.send(xs);
} catch (error) {
  throw error;
}
xs.push(2);`),
      errors: [{ messageId: 'moved', line: 10, column: 1 }],
    },
    {
      // Invalid because both branches move `xs`: it is moved on every path.
      code: code(`const xs = [1];
if (c) tx.send(xs);
else spawn(move(xs), (ys) => ys.length);
xs.push(2);`),
      errors: [{ messageId: 'moved', line: 7, column: 1, data: { name: 'xs', how: 'moved with `move()`', where: '6:17' } }],
    },
    {
      // Invalid because the loop sends the same binding again (rustc: "value moved here, in
      // previous iteration of loop").
      code: code(`const xs = [1];
for (let i = 0; i < 3; i++) {
  tx.send(xs);
}`),
      errors: [{ messageId: 'movedInLoop', line: 6, column: 11, data: { name: 'xs', how: 'sent with `tx.send()`', where: '6:11' } }],
    },
    {
      // Invalid because the inner loop moves `xs` on its second iteration (rustc: nested loop).
      code: code(`const xs = [1];
for (const a of [1, 2]) {
  for (const b of [a, 3]) {
    if (b > 1) tx.send(xs);
  }
}`),
      errors: [{ messageId: 'movedInLoop', line: 7, column: 24 }],
    },
    {
      // Invalid because the read at the top of the loop sees the move at its bottom.
      code: code(`const xs = [1];
while (c) {
  console.log(xs.length);
  tx.send(xs);
}`),
      errors: [{ messageId: 'movedInLoop', line: 6, column: 15, data: { name: 'xs', how: 'sent with `tx.send()`', where: '7:11' } }],
    },
    {
      // Invalid because a conditional re-assignment leaves the other path moved from the last iteration.
      code: code(`let xs = [1];
do {
  if (c) xs = [2];
  tx.send(xs);
} while (c);`),
      errors: [{ messageId: 'movedInLoop', line: 7, column: 11 }],
    },
    {
      // Invalid because a closure created after the move reads the moved value (rustc: closure case).
      code: code(`const xs = [1];
tx.send(xs);
const f = () => xs.length;
f();`),
      errors: [{ messageId: 'movedBeforeClosure', line: 6, column: 17 }],
    },
    {
      // Invalid because a closure made before the move reads the moved value when it is called after it.
      code: code(`const xs = [1];
const size = () => xs.length;
tx.send(xs);
size();`),
      errors: [{ messageId: 'movedBeforeCall', line: 7, column: 1, data: { name: 'xs', via: 'size', how: 'sent with `tx.send()`', where: '6:9' } }],
    },
    {
      // Invalid because a hoisted function declaration reads the moved value, called after the move.
      code: code(`const xs = [1];
function report() {
  return xs.join(',');
}
spawn(move(xs), (ys) => ys.length);
report();`),
      errors: [{ messageId: 'movedBeforeCall', line: 9, column: 1 }],
    },
    {
      // Invalid because the function runs after its arguments: one of them moved what it reads.
      code: code(`const xs = [1];
const size = () => xs.length;
console.log(move(xs), size());`),
      errors: [{ messageId: 'movedBeforeCall', line: 6, column: 23 }],
    },
    {
      // Invalid because the only path that reaches the read moved `xs`: the other returned early.
      code: code(`function f(flag: boolean) {
  const xs = [1];
  if (flag) {
    tx.send(xs);
  } else {
    return 0;
  }
  return xs.length;
}`),
      errors: [{ messageId: 'moved', line: 11, column: 10 }],
    },
    {
      // Invalid because the binding was re-initialised, then moved again (rustc: re-init case).
      code: code(`let xs = [1];
tx.send(xs);
xs = [2];
tx.send(xs);
xs.push(3);`),
      errors: [{ messageId: 'moved', line: 8, column: 1, data: { name: 'xs', how: 'sent with `tx.send()`', where: '7:9' } }],
    },
    {
      // Invalid because only the first use after a move is reported.
      code: code(`const xs = [1];
tx.send(xs);
xs.push(1);
xs.push(2);`),
      errors: [{ messageId: 'moved', line: 6, column: 1 }],
    },
    {
      // Invalid because a Mutex takes ownership of the value it guards.
      code: code(`const data = [1];
const m = new Mutex(data);
data.push(2);
m.lockSync();`),
      errors: [{ messageId: 'moved', line: 6, column: 1, data: { name: 'data', how: 'moved into `new Mutex()`', where: '5:21' } }],
    },
    {
      // Invalid because move() hands the buffer to the thread (it is detached here).
      code: code(`const buf = new ArrayBuffer(8);
spawn(move(buf), (b) => b.byteLength);
console.log(buf.byteLength);`),
      errors: [{ messageId: 'moved', line: 6, column: 13, data: { name: 'buf', how: 'moved with `move()`', where: '5:12' } }],
    },
    {
      // Invalid because a sender moved into a thread is gone from this one.
      code: code(`spawn(move(tx), (t) => t.send([1]));
tx.send([2]);`),
      errors: [{ messageId: 'moved', line: 5, column: 1 }],
    },
    {
      // Invalid because a receiver moved into a thread is gone from this one (one consumer).
      code: code(`const [, rx] = channel<number>();
spawn(move(rx), async (inbox) => inbox.recv());
await rx.recv();`),
      errors: [{ messageId: 'moved', line: 6, column: 7, data: { name: 'rx', how: 'moved with `move()`', where: '5:12' } }],
    },
    {
      // Invalid because writing to a part of a moved value is a use too.
      code: code(`const [jtx] = channel<{ n: number }>();
const job = { n: 1 };
jtx.send(job);
job.n = 2;`),
      errors: [{ messageId: 'moved', line: 7, column: 1 }],
    },
    {
      // Invalid because parts of a sent object literal are moved with it.
      code: code(`const [btx] = channel<{ buf: ArrayBuffer }>();
const buf = new ArrayBuffer(8);
btx.send({ buf });
buf.byteLength;`),
      errors: [{ messageId: 'moved', line: 7, column: 1 }],
    },
    {
      // Invalid because sendSync and trySend move like send.
      code: code(`const [stx] = syncChannel<number[]>(1);
const a = [1];
const b = [2];
stx.sendSync(a);
stx.trySend(b);
console.log(a, b);`),
      errors: [
        { messageId: 'moved', line: 9, column: 13, data: { name: 'a', how: 'sent with `stx.sendSync()`', where: '7:14' } },
        { messageId: 'moved', line: 9, column: 16, data: { name: 'b', how: 'sent with `stx.trySend()`', where: '8:13' } },
      ],
    },
    {
      // Invalid because postMessage's transfer list detaches the buffer.
      code: code(`import { MessageChannel } from 'node:worker_threads';
const { port1 } = new MessageChannel();
const buf = new ArrayBuffer(8);
port1.postMessage({ buf }, [buf]);
console.log(buf.byteLength);`),
      errors: [{ messageId: 'moved', line: 8, column: 13, data: { name: 'buf', how: 'transferred by `port1.postMessage()`', where: '7:29' } }],
    },
    {
      // Invalid because the options form of the transfer list detaches too.
      code: code(`import { Worker } from 'node:worker_threads';
declare const worker: Worker;
const buf = new ArrayBuffer(8);
worker.postMessage(buf, { transfer: [buf] } as never);
console.log(buf.byteLength);`),
      errors: [{ messageId: 'moved', line: 8, column: 13 }],
    },
    {
      // Invalid because structuredClone's transfer list detaches the original.
      code: code(`const buf = new ArrayBuffer(8);
const copy = structuredClone(buf, { transfer: [buf] });
console.log(buf.byteLength, copy.byteLength);`),
      errors: [{ messageId: 'moved', line: 6, column: 13, data: { name: 'buf', how: 'transferred by `structuredClone()`', where: '5:48' } }],
    },
    {
      // Invalid because `enqueue` declares its parameter Owned<Job>: it takes ownership.
      code: code(`import { enqueue } from './helpers.js';
const job = { id: 1, payload: [] };
enqueue(job);
console.log(job.id);`),
      errors: [{ messageId: 'moved', line: 7, column: 13, data: { name: 'job', how: 'passed to `enqueue()` as `Owned<Job>`', where: '6:9' } }],
    },
    {
      // Invalid because a rest parameter of Owned<T> takes every argument it collects.
      code: code(`import { enqueueAll } from './helpers.js';
const a = { id: 1, payload: [] };
const b = { id: 2, payload: [] };
enqueueAll(a, b);
console.log(b.id);`),
      errors: [{ messageId: 'moved', line: 8, column: 13 }],
    },
    {
      // Invalid because `finally` does not undo a move in `try`.
      code: code(`const xs = [1];
try {
  tx.send(xs);
} finally {
  console.log('done');
}
xs.push(2);`),
      errors: [{ messageId: 'moved', line: 10, column: 1 }],
    },
  ],
});

// The published declarations re-export `Owned` across files; the rule must see through that too.
runRuleTests('no-use-after-send (published fearless types)', rule, {
  valid: [
    {
      // Valid because the argument is used before it is handed over.
      code: `import type { Owned } from 'fearless';
function keep(value: Owned<number[]>): void { void value; }
const xs = [1];
xs.push(2);
keep(xs);`,
    },
  ],
  invalid: [
    {
      // Invalid because `keep` takes ownership through the package's Owned<T>.
      code: `import type { Owned } from 'fearless';
function keep(value: Owned<number[]>): void { void value; }
const xs = [1];
keep(xs);
xs.push(2);`,
      errors: [{ messageId: 'moved', line: 5, column: 1, data: { name: 'xs', how: 'passed to `keep()` as `Owned<number[]>`', where: '4:6' } }],
    },
  ],
}, `${fixtureDir}/real`);
