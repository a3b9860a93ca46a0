// The shapes the lint corpus (docs/lint-corpus.md, issue 26) met in real worker code, reduced to
// a few lines each and written here from scratch, with their types resolved (in the corpus the
// projects' dependencies are not installed, so many receivers there are `any`). Each must stay
// quiet: look-alikes of fearless's names from other libraries, and transfers whose neighbours stay
// usable. One reported case per rule family shows the rule is awake in the same setup.
import plugin from 'fearless/eslint-plugin';
import { fixtureDir, runRuleTests } from './rule-tester.js';

const useAfterSend = plugin.rules['no-use-after-send'];
const spawnCapture = plugin.rules['no-spawn-capture'];
const lockAcrossAwait = plugin.rules['no-lock-across-await'];
const unjoinedSpawn = plugin.rules['no-unjoined-spawn'];

runRuleTests('corpus reductions: no-use-after-send', useAfterSend, {
  valid: [
    {
      // Valid because only `port2` is transferred: `port1` of the same channel stays here.
      code: `import { MessageChannel, Worker } from 'node:worker_threads';
const worker = new Worker('./w.js');
const channel = new MessageChannel();
worker.postMessage({ port: channel.port2 }, [channel.port2]);
channel.port1.on('message', () => {});`,
    },
    {
      // Valid because a transfer list passed in as a parameter is not detached, only its items.
      code: `import type { MessagePort, TransferListItem } from 'node:worker_threads';
export function reply(port: MessagePort, data: unknown, transferList: TransferListItem[]): number {
  port.postMessage(data, transferList);
  return transferList.length;
}`,
    },
    {
      // Valid because the transfer detaches the message's bytes, not its other fields.
      code: `import type { MessagePort } from 'node:worker_threads';
export function post(port: MessagePort, message: { id: number; bytes: Uint8Array }): number {
  port.postMessage(message, [message.bytes.buffer]);
  return message.id;
}`,
    },
    {
      // Valid because \`slice()\` copies: the transferred buffer is the copy's, not \`bytes\`'s.
      code: `import type { MessagePort } from 'node:worker_threads';
export function post(port: MessagePort, bytes: Uint8Array): number {
  const copy = bytes.slice().buffer;
  port.postMessage(copy, [copy]);
  return bytes.length;
}`,
    },
    {
      // Valid because \`ArrayBuffer#slice\` copies the view's bytes: the view keeps its own buffer.
      code: `import type { MessagePort } from 'node:worker_threads';
export function post(port: MessagePort, message: Uint8Array): number {
  const payload = message.buffer.slice(message.byteOffset, message.byteOffset + message.byteLength);
  port.postMessage({ payload }, [payload]);
  return message.byteLength;
}`,
    },
    {
      // Valid because the transfer happens on one branch and nothing reads the value after it.
      code: `import { Worker } from 'node:worker_threads';
const worker = new Worker('./w.js');
export function send(request: { input: Uint8Array | string }): void {
  if (request.input instanceof Uint8Array) worker.postMessage(request, [request.input.buffer]);
  else worker.postMessage(request);
}`,
    },
    {
      // Valid because another library's static \`move\` marks a value for transfer later; it moves nothing itself.
      code: `import { channel } from 'fearless';
const [tx] = channel<number>();
tx.close();
class Pool {
  static move<T>(value: T): T { return value; }
  run(task: unknown): Promise<unknown> { return Promise.resolve(task); }
}
const bytes = new ArrayBuffer(8);
void new Pool().run(Pool.move(bytes));
console.log(bytes.byteLength);`,
    },
    {
      // Valid because another library's channel \`send\` is not fearless's Sender#send.
      code: `import { channel } from 'fearless';
const [tx] = channel<number>();
tx.close();
class Bus { send(value: object): void { void value; } }
const bus = new Bus();
const job = { id: 1 };
bus.send(job);
console.log(job.id);`,
    },
  ],
  invalid: [
    {
      // Invalid because the transferred port itself is used after the transfer.
      code: `import { MessageChannel, Worker } from 'node:worker_threads';
const worker = new Worker('./w.js');
const channel = new MessageChannel();
worker.postMessage({ port: channel.port2 }, [channel.port2]);
channel.port2.close();`,
      errors: [{ messageId: 'moved', line: 5 }],
    },
  ],
});

runRuleTests('corpus reductions: no-spawn-capture', spawnCapture, {
  valid: [
    {
      // Valid because child_process's spawn runs a program, not a closure.
      code: `import { spawn } from 'node:child_process';
import { channel } from 'fearless';
const [tx] = channel<number>();
tx.close();
const args = ['--version'];
spawn('node', args, { stdio: 'inherit' }).on('exit', () => console.log(args));`,
    },
    {
      // Valid because a thread library's own \`spawn\` (and a pool's) is not fearless's.
      code: `import { channel } from 'fearless';
const [tx] = channel<number>();
tx.close();
declare function spawn<T>(factory: () => T): Promise<T>;
class ThreadPool { spawn<T>(fn: () => T): T { return fn(); } }
const limit = 4;
void spawn(() => limit);
new ThreadPool().spawn(() => limit);`,
    },
  ],
  invalid: [
    {
      // Invalid because fearless's spawn does run the closure on another thread.
      code: `import { move, spawn } from 'fearless';
const limit = 4;
void spawn(() => limit).join();`,
      errors: [
        {
          messageId: 'capture',
          line: 3,
          suggestions: [{ messageId: 'moveIntoThread', data: { name: 'limit' }, output: `import { move, spawn } from 'fearless';
const limit = 4;
void spawn(move(limit), (limit) => limit).join();` }],
        },
      ],
    },
  ],
});

runRuleTests('corpus reductions: no-lock-across-await', lockAcrossAwait, {
  valid: [
    {
      // Valid because an async mutex of another library is made to be held across awaits.
      code: `import { channel } from 'fearless';
const [tx] = channel<number>();
tx.close();
class Mutex { lock(): Promise<() => void> { return Promise.resolve(() => {}); } }
declare function io(): Promise<void>;
const m = new Mutex();
export async function f(): Promise<void> {
  const unlock = await m.lock();
  await io();
  unlock();
}`,
    },
  ],
  invalid: [],
});

runRuleTests('corpus reductions: no-unjoined-spawn', unjoinedSpawn, {
  valid: [
    {
      // Valid because another library's spawn returns no JoinHandle.
      code: `import { channel } from 'fearless';
const [tx] = channel<number>();
tx.close();
declare function spawn<T>(worker: T): Promise<T>;
void spawn({});
class Manager { spawn(id: number): number { return id; } }
new Manager().spawn(1);`,
    },
  ],
  invalid: [],
});

// Window's postMessage takes the transfer list third, after the target origin; real code keeps
// the origin in a variable (dxos rpc-tunnel's iframe port). The origin was taken for the transfer
// list and the real list was never read: a transfer the rule did not see.
runRuleTests('corpus reductions: Window postMessage with the origin in a variable', useAfterSend, {
  valid: [
    {
      // Valid because a target origin held in a variable is still not a transfer list.
      code: `export function announce(origin: string, label: string): number {
  window.parent.postMessage(label, origin);
  return origin.length + label.length;
}`,
    },
  ],
  invalid: [
    {
      // Invalid because the third argument is the transfer list, whatever the origin is written as.
      code: `export function toParent(origin: string, frame: ArrayBuffer): number {
  window.parent.postMessage(frame, origin, [frame]);
  return frame.byteLength;
}`,
      errors: [{ messageId: 'moved', line: 3, column: 10, data: { name: 'frame', how: 'transferred by `window.parent.postMessage()`', where: '2:45' } }],
    },
  ],
}, `${fixtureDir}/dom`);
