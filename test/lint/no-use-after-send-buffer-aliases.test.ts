// no-use-after-send: a view and its buffer are one piece of memory, whichever name the transfer
// list uses (issue 26, item 3). Aliases taken before the transfer are detached with it, in both
// directions: the buffer a view was read from (`const buf = view.buffer`), the buffer a view was
// made over (`new Uint8Array(buf)`), and the other views over that buffer.
import plugin from 'fearless/eslint-plugin';
import { runRuleTests } from './rule-tester.js';

const rule = plugin.rules['no-use-after-send'];

const worker = `import { Worker } from 'node:worker_threads';
declare const worker: Worker;
declare function log(...values: unknown[]): void;`;
const inWorker = (body: string): string => `${worker}\n${body}`;

runRuleTests('no-use-after-send (a view and its buffer through variables)', rule, {
  valid: [
    {
      // Valid because the view is made after the transfer, over a new buffer.
      code: inWorker(`const view = new Uint8Array(16);
const buf = view.buffer;
worker.postMessage(view, [buf]);
const fresh = new Uint8Array(new ArrayBuffer(16));
log(fresh.length);`),
    },
    {
      // Valid because the view variable was given another array before the transfer: the
      // transferred buffer is no longer its buffer.
      code: inWorker(`let view = new Uint8Array(16);
const buf = view.buffer;
view = new Uint8Array(16);
worker.postMessage(null, [buf]);
log(view.length);`),
    },
    {
      // Valid because the view is reassigned after the transfer, before it is read.
      code: inWorker(`let view = new Uint8Array(16);
const buf = view.buffer;
worker.postMessage(view, [buf]);
view = new Uint8Array(16);
log(view.length);`),
    },
    {
      // Valid because the buffer variable was reassigned before the transfer: what is transferred
      // is not the view's buffer any more.
      code: inWorker(`const view = new Uint8Array(16);
let buf = view.buffer;
buf = new ArrayBuffer(8);
worker.postMessage(null, [buf]);
log(view.length);`),
    },
    {
      // Valid because \`slice()\` copies: the transferred buffer is the copy's.
      code: inWorker(`const view = new Uint8Array(16);
const buf = view.slice().buffer;
worker.postMessage(null, [buf]);
log(view.length);`),
    },
    {
      // Valid because the view is read before its buffer, read off it, is transferred.
      code: inWorker(`const view = new Uint8Array(16);
const buf = view.buffer;
log(view[0]);
worker.postMessage(view, [buf]);`),
    },
  ],
  invalid: [
    {
      // Invalid because the buffer read off the view is the view's own: transferring it leaves
      // the view over a detached buffer (length 0).
      code: inWorker(`const view = new Uint8Array(16);
const buf = view.buffer;
worker.postMessage(view, [buf]);
log(view.length);`),
      errors: [
        {
          messageId: 'moved',
          line: 7,
          column: 5,
          data: { name: 'view', how: 'detached when `buf` was transferred by `worker.postMessage()`', where: '6:27' },
        },
      ],
    },
    {
      // Invalid because a destructured `buffer` is the view's buffer too.
      code: inWorker(`const view = new Float64Array(4);
const { buffer } = view;
worker.postMessage(null, { transfer: [buffer] });
view.fill(0);`),
      errors: [{ messageId: 'moved', line: 7, column: 1, data: { name: 'view', how: 'detached when `buffer` was transferred by `worker.postMessage()`', where: '6:39' } }],
    },
    {
      // Invalid because the view made over the buffer before the transfer is detached with it.
      code: inWorker(`declare const x: { id: number };
const buf = new ArrayBuffer(16);
const view = new Uint8Array(buf);
worker.postMessage(x, [buf]);
log(view[0]);`),
      errors: [{ messageId: 'moved', line: 8, column: 5, data: { name: 'view', how: 'detached when `buf` was transferred by `worker.postMessage()`', where: '7:24' } }],
    },
    {
      // Invalid because the buffer a view was made over is the buffer read back off it: the
      // first buffer, and the other view over it, are detached too.
      code: inWorker(`const memory = new ArrayBuffer(16);
const bytes = new Uint8Array(memory);
const words = new Uint32Array(memory);
const buf = bytes.buffer;
worker.postMessage(null, [buf]);
log(memory.byteLength, words[0]);`),
      errors: [
        { messageId: 'moved', line: 9, column: 5, data: { name: 'memory', how: 'detached when `buf` was transferred by `worker.postMessage()`', where: '8:27' } },
        { messageId: 'moved', line: 9, column: 24, data: { name: 'words', how: 'detached when `buf` was transferred by `worker.postMessage()`', where: '8:27' } },
      ],
    },
    {
      // Invalid because transferring a view's buffer detaches a buffer variable read off it earlier.
      code: inWorker(`const view = new Uint8Array(16);
const buf = view.buffer;
worker.postMessage(view, [view.buffer]);
log(buf.byteLength);`),
      errors: [{ messageId: 'moved', line: 7, column: 5, data: { name: 'buf', how: 'detached when `view.buffer` was transferred by `worker.postMessage()`', where: '6:27' } }],
    },
    {
      // Invalid because the buffer read off a subarray is the parent view's buffer.
      code: inWorker(`const rows = new Uint8Array(64);
const buf = rows.subarray(8).buffer;
worker.postMessage(null, [buf]);
log(rows.byteLength);`),
      errors: [{ messageId: 'moved', line: 7, column: 5, data: { name: 'rows', how: 'detached when `buf` was transferred by `worker.postMessage()`', where: '6:27' } }],
    },
    {
      // Invalid because the same holds through structuredClone's transfer option.
      code: inWorker(`const view = new Int16Array(8);
const buf = view.buffer;
const copy = structuredClone(buf, { transfer: [buf] });
log(view.length, copy.byteLength);`),
      errors: [{ messageId: 'moved', line: 7, column: 5, data: { name: 'view', how: 'detached when `buf` was transferred by `structuredClone()`', where: '6:48' } }],
    },
  ],
});
