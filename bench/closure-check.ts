/**
 * What the spawn-time capture check costs (`node dist/bench/closure-check.js`): a first check
 * (acorn parse + scope walk) per closure size, a check of the same text from a new function
 * object (source-text cache), and a hot spawn of the same function (WeakMap hit), next to one
 * spawn+join round trip for scale. Prints same-run ratios.
 */
import { performance } from 'node:perf_hooks';
import { move, spawn } from 'fearless';
import { closureSource } from '../src/thread/source.js';
import { freeNames } from '../src/thread/free-names.js';

const small = (values: number[]) => values.reduce((a, b) => a + b, 0);
async function large(text: string, times: number): Promise<string> {
  const { createHash } = await import('node:crypto');
  let digest = text;
  for (let index = 0; index < times; index++) {
    const [first = '', ...rest] = [digest, 'salt'];
    const { length } = rest;
    digest = createHash('sha256').update(`${first}${length}`).digest('hex');
  }
  class Counter {
    #count = 0;
    add(): number {
      return ++this.#count;
    }
  }
  const counter = new Counter();
  try {
    counter.add();
  } catch (error) {
    return String(error);
  }
  return digest;
}

function perCall(label: string, runs: number, body: (index: number) => void): number {
  for (let index = 0; index < Math.min(runs, 1000); index++) body(index);
  const start = performance.now();
  for (let index = 0; index < runs; index++) body(index);
  const each = ((performance.now() - start) * 1e6) / runs;
  console.log(`${label.padEnd(58)} ${each < 1000 ? `${each.toFixed(0)} ns` : `${(each / 1000).toFixed(1)} µs`}`);
  return each;
}

const smallSource = small.toString();
const largeSource = large.toString();
const parseSmall = perCall(`first check, ${smallSource.length}-char closure (parse + scopes)`, 2000, () => freeNames(smallSource));
const parseLarge = perCall(`first check, ${largeSource.length}-char closure (parse + scopes)`, 2000, () => freeNames(largeSource));
// A closure made afresh on each call, as in `items.map(() => spawn(() => …))`: same text, new object.
const makeClosure = () => (values: number[]) => values.length;
const sameText = perCall('same text, new function object (text cache)', 200_000, () => closureSource(makeClosure(), 'bench'));
const hot = perCall('hot spawn of the same function (WeakMap hit)', 1_000_000, () => closureSource(small, 'bench'));
// First sight of a text (each call a new text): without a global, and with one, which adds the
// import check (a stack read for the calling file, whose import table is read once).
let fresh = 0;
const newText = (body: string): unknown => (0, eval)(`(values) => ${body} + ${fresh++}`) as unknown;
const firstPlain = perCall('first sight of a text, no global (full check)', 2000, () => closureSource(newText('values.length'), 'bench'));
const firstGlobal = perCall('first sight of a text using a global (+ import check)', 2000, () => closureSource(newText('Math.max(...values)'), 'bench'));
const makeGlobalClosure = () => (values: number[]) => Math.max(...values);
const sameTextGlobal = perCall('same text using a global, new function object', 200_000, () => closureSource(makeGlobalClosure(), 'bench'));

const rounds = 200;
await spawn(move([1]), small).join();
const start = performance.now();
for (let index = 0; index < rounds; index++) await spawn(move([1, 2, 3]), small).join();
const roundTrip = ((performance.now() - start) * 1e6) / rounds;
console.log(`${'spawn + join round trip (for scale)'.padEnd(58)} ${(roundTrip / 1000).toFixed(1)} µs`);
console.log(`import check on first sight: +${(firstGlobal - firstPlain).toFixed(0)} ns (${(((firstGlobal - firstPlain) / roundTrip) * 100).toFixed(1)}% of a round trip); same text with a global: ${((sameTextGlobal / roundTrip) * 100).toFixed(2)}%`);
console.log(`hot check / round trip: ${((hot / roundTrip) * 100).toFixed(3)}%; first check of the large closure / round trip: ${((parseLarge / roundTrip) * 100).toFixed(1)}%; small ${((parseSmall / roundTrip) * 100).toFixed(1)}%; same-text ${((sameText / roundTrip) * 100).toFixed(2)}%`);
