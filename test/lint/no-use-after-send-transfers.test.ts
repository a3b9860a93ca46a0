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
