import plugin from 'fearless/eslint-plugin';
import { runRuleTests } from './rule-tester.js';

const rule = plugin.rules['no-unused-channel-end'];

// Every case starts with this line, so the code under test begins on line 2.
const header = `import { channel, syncChannel, spawn, move, select } from 'fearless';`;
const code = (body: string): string => `${header}\n${body}`;

runRuleTests('no-unused-channel-end', rule, {
  valid: [
    {
      // Valid because both ends are used: one sends, the other receives.
      code: code(`const [tx, rx] = channel<number>();
tx.send(1);
await rx.recv();`),
    },
    {
      // Valid because closing an end is using it: the channel disconnects now, not at GC time.
      code: code(`const [stop, idle] = channel<string>();
stop.close();
await select([idle]);`),
    },
    {
      // Valid because moving an end into a thread, returning it or passing it on hands it over.
      code: code(`function make() {
  const [tx, rx] = syncChannel<number>(2);
  spawn(move(tx), (tx) => tx.sendSync(1));
  return rx;
}
make();`),
    },
    {
      // Valid because the pair is kept whole and read by index.
      code: code(`const pair = channel<number>();
pair[0].send(1);
await pair[1].recv();`),
    },
    {
      // Valid because a rest element keeps the ends it collects.
      code: code(`const [...ends] = channel<number>();
ends[0]!.close();
ends[1]!.close();`),
    },
    {
      // Valid because exported ends are used by other modules.
      code: code(`export const [jobs, results] = channel<number>();`),
    },
    {
      // Valid because assigning existing bindings keeps both ends; they are read elsewhere.
      code: code(`let tx = channel<number>()[0];
let rx = channel<number>()[1];
[tx, rx] = channel<number>();
tx.close();
rx.close();`),
    },
    {
      // Valid because a look-alike that is not fearless's channel is not judged.
      code: `function channel(): [number, number] { return [1, 2]; }
const [, b] = channel();
console.log(b);`,
    },
  ],
  invalid: [
    {
      // Invalid because the sender is left out of the destructuring: the receiver disconnects at GC time.
      code: code(`const [, idle] = channel<string>();
await idle.recv();`),
      errors: [{ messageId: 'senderDropped', line: 2, data: { callee: 'channel' } }],
    },
    {
      // Invalid because the receiver is never bound: messages go nowhere until GC time.
      code: code(`const [tx] = syncChannel<number>(1);
tx.send(1);`),
      errors: [{ messageId: 'receiverDropped', line: 2, data: { callee: 'syncChannel' } }],
    },
    {
      // Invalid because the bound sender is never read: reassigning it is not using it.
      code: code(`let [tx, rx] = channel<number>();
tx = undefined as never;
for await (const n of rx) console.log(n);`),
      errors: [{ messageId: 'senderUnused', line: 2, column: 6, data: { name: 'tx', callee: 'channel' } }],
    },
    {
      // Invalid because `jobs` is bound and never used or closed.
      code: code(`const [jobs, results] = channel<number>();
spawn(move(results), async (results) => { for await (const r of results) console.log(r); });`),
      errors: [{ messageId: 'senderUnused', line: 2, column: 8, data: { name: 'jobs', callee: 'channel' } }],
    },
    {
      // Invalid because `results` is bound and never used or closed.
      code: code(`const [jobs, results] = syncChannel<number>(0);
await jobs.send(1);`),
      errors: [{ messageId: 'receiverUnused', line: 2, column: 14, data: { name: 'results', callee: 'syncChannel' } }],
    },
    {
      // Invalid because a channel made as a statement drops both ends at once.
      code: code(`channel<number>();`),
      errors: [{ messageId: 'senderDropped', line: 2 }, { messageId: 'receiverDropped', line: 2 }],
    },
  ],
});
