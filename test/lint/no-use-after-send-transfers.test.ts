// no-use-after-send on the ways real worker code transfers: the receivers of postMessage under
// the DOM and WebWorker libs, transfer lists held in variables, views and aliases of what was
// transferred, and listeners that run after the transfer (issue 14).
import plugin from 'fearless/eslint-plugin';
import { fixtureDir, runRuleTests } from './rule-tester.js';

const rule = plugin.rules['no-use-after-send'];

// Under the WebWorker lib, `self` is `WorkerGlobalScope & typeof globalThis`, whose
// postMessage comes from the global scope's type: an intersection, not a `Worker`.
runRuleTests('no-use-after-send (WebWorker lib)', rule, {
  valid: [
    {
      // Valid because the worker reads the result before it transfers it back.
      code: `const result = new Float64Array(4);
result[0] = 1;
self.postMessage(result.buffer, [result.buffer]);`,
    },
    {
      // Valid because without a transfer list postMessage copies the message.
      code: `const rows = new Uint8Array(16);
self.postMessage(rows);
console.log(rows.length);`,
    },
  ],
  invalid: [
    {
      // Invalid because `self.postMessage` transfers under the WebWorker lib too.
      code: `const out = new ArrayBuffer(8);
self.postMessage(out, [out]);
console.log(out.byteLength);`,
      errors: [{ messageId: 'moved', line: 3, column: 13, data: { name: 'out', how: 'transferred by `self.postMessage()`', where: '2:24' } }],
    },
    {
      // Invalid because `globalThis.postMessage` is the same global function.
      code: `const out = new ArrayBuffer(8);
globalThis.postMessage({ out }, { transfer: [out] });
console.log(out.byteLength);`,
      errors: [{ messageId: 'moved', line: 3, column: 13, data: { name: 'out', how: 'transferred by `globalThis.postMessage()`', where: '2:46' } }],
    },
    {
      // Invalid because the bare global postMessage of a worker transfers as well.
      code: `const out = new ArrayBuffer(8);
postMessage(out, [out]);
out.slice(0);`,
      errors: [{ messageId: 'moved', line: 3, column: 1 }],
    },
  ],
}, `${fixtureDir}/webworker`);

// Under the DOM lib, `self` is `Window & typeof globalThis`, and Window's own form takes the
// transfer list third, after the target origin.
runRuleTests('no-use-after-send (DOM lib)', rule, {
  valid: [
    {
      // Valid because the target origin string is not a transfer list.
      code: `const label = 'ready';
window.postMessage(label, '*');
console.log(label.length);`,
    },
    {
      // Valid because a BroadcastChannel has no transfer list: it always copies.
      code: `const channel = new BroadcastChannel('jobs');
const job = { id: 1 };
channel.postMessage(job);
console.log(job.id);`,
    },
  ],
  invalid: [
    {
      // Invalid because `self` is an intersection that includes Window.
      code: `const frame = new ArrayBuffer(8);
self.postMessage(frame, { transfer: [frame] });
frame.byteLength;`,
      errors: [{ messageId: 'moved', line: 3, column: 1, data: { name: 'frame', how: 'transferred by `self.postMessage()`', where: '2:38' } }],
    },
    {
      // Invalid because Window's postMessage takes the transfer list after the origin.
      code: `const frame = new ArrayBuffer(8);
window.postMessage(frame, '*', [frame]);
frame.byteLength;`,
      errors: [{ messageId: 'moved', line: 3, column: 1 }],
    },
    {
      // Invalid because a union of message targets transfers whichever it is.
      code: `declare const target: Worker | MessagePort;
const chunk = new ArrayBuffer(8);
target.postMessage(chunk, [chunk]);
new Uint8Array(chunk);`,
      errors: [{ messageId: 'moved', line: 4, column: 16, data: { name: 'chunk', how: 'transferred by `target.postMessage()`', where: '3:28' } }],
    },
  ],
}, `${fixtureDir}/dom`);

const header = `import { MessageChannel } from 'node:worker_threads';
const { port1 } = new MessageChannel();
declare const chunks: Uint8Array[];`;
const code = (body: string): string => `${header}\n${body}`;

runRuleTests('no-use-after-send (transfer lists in variables)', rule, {
  valid: [
    {
      // Valid because only the buffers in the list are detached: the list itself stays usable.
      code: code(`const buf = new ArrayBuffer(8);
const parts = [buf];
port1.postMessage({ buf }, { transfer: parts });
console.log(parts.length);`),
    },
    {
      // Valid because a scratch transfer array is reused: emptying it is not a use of what it held.
      code: code(`const transfer: ArrayBuffer[] = [];
for (const chunk of chunks) {
  transfer.length = 0;
  const copy = chunk.slice().buffer;
  transfer.push(copy);
  port1.postMessage(copy, transfer);
}
console.log(transfer.length);`),
    },
    {
      // Valid because the positional form leaves the list usable in the same way.
      code: code(`const buf = new ArrayBuffer(8);
const parts = [buf];
port1.postMessage(buf, parts);
parts.length = 0;`),
    },
    {
      // Valid because a push on a branch may not have run: the list is not known to hold it.
      code: code(`declare const c: boolean;
const maybe = new ArrayBuffer(8);
const parts: ArrayBuffer[] = [];
if (c) {
  parts.push(maybe);
}
port1.postMessage(null, parts);
console.log(maybe.byteLength);`),
    },
  ],
  invalid: [
    {
      // Invalid because the list in a variable still detaches the buffers it was built from.
      code: code(`const buf = new ArrayBuffer(8);
const parts = [buf];
port1.postMessage({ buf }, { transfer: parts });
console.log(buf.byteLength);`),
      errors: [{ messageId: 'moved', line: 7, column: 13, data: { name: 'buf', how: 'transferred by `port1.postMessage()`', where: '5:16' } }],
    },
    {
      // Invalid because a buffer pushed onto the list before the transfer is detached by it.
      code: code(`const transfer: ArrayBuffer[] = [];
const copy = new ArrayBuffer(8);
transfer.push(copy);
port1.postMessage(copy, transfer);
copy.byteLength;`),
      errors: [{ messageId: 'moved', line: 8, column: 1, data: { name: 'copy', how: 'transferred by `port1.postMessage()`', where: '6:15' } }],
    },
  ],
});

// What a transfer detaches besides the binding it names: a member, a view over the buffer, a
// destructured alias. And listeners registered before the transfer, which run after it.
const worker = `import { Worker } from 'node:worker_threads';
declare const worker: Worker;
declare function log(...values: unknown[]): void;`;
const inWorker = (body: string): string => `${worker}\n${body}`;

runRuleTests('no-use-after-send (views, aliases, members, listeners)', rule, {
  valid: [
    {
      // Valid because the view is read before its buffer is transferred.
      code: inWorker(`const buf = new ArrayBuffer(16);
const samples = new Float32Array(buf);
samples[0] = 1;
worker.postMessage(buf, [buf]);`),
    },
    {
      // Valid because a typed array built from another typed array is a copy, not a view.
      code: inWorker(`const source = new Float32Array(4);
const copy = new Float32Array(source);
worker.postMessage(source, [source.buffer]);
log(copy.length);`),
    },
    {
      // Valid because only the transferred member is detached: the message's other fields stay readable.
      code: inWorker(`declare const msg: { id: number; data: ArrayBuffer };
worker.postMessage(msg, [msg.data]);
log(msg.id);`),
    },
    {
      // Valid because the member is given a fresh buffer before it is read again.
      code: inWorker(`declare const msg: { id: number; data: ArrayBuffer };
worker.postMessage(msg, [msg.data]);
msg.data = new ArrayBuffer(8);
log(msg.data.byteLength);`),
    },
    {
      // Valid because the destructured field that was not transferred stays usable.
      code: inWorker(`declare const frame: { width: number; pixels: Uint8ClampedArray };
const { pixels, width } = frame;
worker.postMessage(frame, [frame.pixels.buffer]);
log(width);`),
    },
    {
      // Valid because the listener reads the reply, not what was transferred (a pool's usual round trip).
      code: inWorker(`const task = new Float64Array(8);
const done = new Promise((resolve) => worker.once('message', (reply: Float64Array) => resolve(reply.length)));
worker.postMessage({ task }, [task.buffer]);
await done;`),
    },
    {
      // Valid because a callback awaited in place runs before the transfer that follows the await.
      code: inWorker(`const buf = new ArrayBuffer(8);
const size = await new Promise<number>((resolve) => setTimeout(() => resolve(buf.byteLength), 1));
worker.postMessage(buf, [buf]);
log(size);`),
    },
    {
      // Valid because the buffer is re-created after the transfer, before any listener can run.
      code: inWorker(`let scratch = new ArrayBuffer(8);
worker.on('message', () => log(scratch.byteLength));
worker.postMessage(scratch, [scratch]);
scratch = new ArrayBuffer(8);`),
    },
    {
      // Valid because a transfer list returned by a helper (a wire-value encoder) is not known to hold anything named here.
      code: inWorker(`declare function toWire(value: unknown): [unknown, Transferable[]];
const payload = { rows: new Float64Array(4) };
const [wire, transferables] = toWire(payload);
worker.postMessage(wire, transferables as never);
log(payload.rows.length, transferables.length);`),
    },
    {
      // Valid because a transfer list received as a parameter is forwarded as is (a pool's dispatch function).
      code: inWorker(`function dispatch(task: { id: number }, transfer: ArrayBuffer[]): number {
  worker.postMessage(task, transfer);
  return task.id + transfer.length;
}
log(dispatch);`),
    },
    {
      // Valid because a transfer list grown by concat() is a new array each time; nothing named here is listed.
      code: inWorker(`declare const extra: ArrayBuffer[];
const response = { ok: true };
let transferList: ArrayBuffer[] = [];
transferList = transferList.concat(extra);
worker.postMessage(response, transferList);
log(response.ok);`),
    },
    {
      // Valid because the pending-task bookkeeping reads the task's id, not the transferred payload.
      code: inWorker(`declare const pending: Map<number, () => void>;
const task = { id: 7, data: new ArrayBuffer(32) };
worker.once('message', () => pending.delete(task.id));
worker.postMessage(task, [task.data]);`),
    },
    {
      // Valid because the handler's own transfer happens inside the handler, on its own data.
      code: `import { parentPort } from 'node:worker_threads';
declare function render(width: number): Uint8ClampedArray;
parentPort?.on('message', (width: number) => {
  const pixels = render(width);
  parentPort?.postMessage({ width, pixels }, [pixels.buffer]);
});`,
    },
    {
      // Valid because the worker's handler transfers a fresh result each time and keeps no reference (a typical expose()-style reply).
      code: `import { parentPort } from 'node:worker_threads';
parentPort?.on('message', (input: Float32Array) => {
  const output = new Float32Array(input.length);
  for (let index = 0; index < input.length; index++) output[index] = input[index]! * 2;
  parentPort?.postMessage(output, [output.buffer]);
});`,
    },
  ],
  invalid: [
    {
      // Invalid because a view over a transferred buffer is detached with it: its length is 0.
      code: inWorker(`const buf = new ArrayBuffer(16);
const samples = new Float32Array(buf);
worker.postMessage(buf, [buf]);
log(samples.length);`),
      errors: [
        {
          messageId: 'moved',
          line: 7,
          column: 5,
          data: { name: 'samples', how: 'detached when `buf` was transferred by `worker.postMessage()`', where: '6:26' },
        },
      ],
    },
    {
      // Invalid because a destructured alias is the same typed array whose buffer was transferred.
      code: inWorker(`declare const frame: { width: number; pixels: Uint8ClampedArray };
const { pixels } = frame;
worker.postMessage(frame, [frame.pixels.buffer]);
log(pixels[0]);`),
      errors: [
        {
          messageId: 'moved',
          line: 7,
          column: 5,
          data: { name: 'pixels', how: 'detached when `frame.pixels.buffer` was transferred by `worker.postMessage()`', where: '6:28' },
        },
      ],
    },
    {
      // Invalid because a transferred member is detached: reading it again sees an empty buffer.
      code: inWorker(`declare const msg: { id: number; data: ArrayBuffer };
worker.postMessage(msg, [msg.data]);
log(msg.data.byteLength);`),
      errors: [{ messageId: 'moved', line: 6, column: 5, data: { name: 'msg.data', how: 'transferred by `worker.postMessage()`', where: '5:26' } }],
    },
    {
      // Invalid because transferring a view's buffer detaches the view itself.
      code: inWorker(`const out = new Uint8Array(8);
worker.postMessage(out, [out.buffer]);
out.fill(0);`),
      errors: [{ messageId: 'moved', line: 6, column: 1, data: { name: 'out', how: 'transferred by `worker.postMessage()`', where: '5:26' } }],
    },
    {
      // Invalid because a subarray of a view shares its buffer, and is detached with it.
      code: inWorker(`const rows = new Uint8Array(64);
const firstRow = rows.subarray(0, 8);
worker.postMessage(rows, [rows.buffer]);
log(firstRow.byteLength);`),
      errors: [{ messageId: 'moved', line: 7, column: 5 }],
    },
    {
      // Invalid because the listener registered before the transfer runs after it.
      code: inWorker(`const buf = new ArrayBuffer(8);
worker.once('message', () => log(buf.byteLength));
worker.postMessage(buf, [buf]);`),
      errors: [
        {
          messageId: 'movedBeforeCallback',
          line: 5,
          column: 34,
          data: { name: 'buf', via: 'worker.once()', how: 'transferred by `worker.postMessage()`', where: '6:26' },
        },
      ],
    },
    {
      // Invalid because an onmessage handler assigned before the transfer runs after it as well.
      code: `import { MessageChannel } from 'node:worker_threads';
const { port1: port } = new MessageChannel();
declare const ready: boolean;
const chunk = new ArrayBuffer(8);
port.onmessage = () => console.log(chunk.byteLength);
if (ready) port.postMessage(chunk, [chunk]);`,
      errors: [{ messageId: 'movedBeforeCallback', line: 5, column: 36, data: { name: 'chunk', via: 'port.onmessage', how: 'transferred by `port.postMessage()`', where: '6:37' } }],
    },
  ],
});
