/**
 * The browser benchmark's page (bench/suites/browser.ts bundles it for the browser and runs it
 * in headless Chromium): fearless against the page's own postMessage, same page, same run.
 * - a worker sends MESSAGES numbers, then MESSAGES ~100-byte objects, which the page receives
 *   (`for await` over a channel / a Worker's `onmessage`), in messages per second;
 * - a warm spawn + join against a raw worker's echo (post, await the reply), in µs per round.
 * Each figure is the median of ROUNDS runs after a warm-up. Results: `globalThis.fearlessBench`.
 */
/* global Worker, Blob, performance -- a page's globals: this file runs in the browser */
import { channel, move, spawn } from '../../dist/src/index.js';

const MESSAGES = 50_000;
const ROUNDS = 5;
const ROUND_TRIPS = 300;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measure(run) {
  await run();
  const times = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return median(times);
}

/** A module worker from source text, as a page makes one without fearless. */
function rawWorker(source) {
  return new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })), { type: 'module' });
}

async function fearlessStream(kind) {
  const [tx, rx] = channel();
  const producer = spawn(move(tx, MESSAGES, kind), (tx, count, kind) => {
    for (let index = 0; index < count; index++) {
      tx.send(kind === 'number' ? index : { id: index, name: `item-${index}`, tags: ['alpha', 'beta'], score: index / 7, active: true, note: 'about a hundred bytes' });
    }
  });
  let received = 0;
  for await (const _message of rx) received++;
  await producer.join();
  if (received !== MESSAGES) throw new Error(`received ${received} of ${MESSAGES}`);
}

const streamer = rawWorker(`
onmessage = (event) => {
  const { count, kind } = event.data;
  for (let index = 0; index < count; index++) {
    postMessage(kind === 'number' ? index : { id: index, name: 'item-' + index, tags: ['alpha', 'beta'], score: index / 7, active: true, note: 'about a hundred bytes' });
  }
};`);

function postMessageStream(kind) {
  return new Promise((resolve) => {
    let received = 0;
    streamer.onmessage = () => {
      if (++received === MESSAGES) resolve();
    };
    streamer.postMessage({ count: MESSAGES, kind });
  });
}

async function spawnJoins() {
  for (let index = 0; index < ROUND_TRIPS; index++) await spawn(() => 1).join();
}

const echo = rawWorker('onmessage = (event) => postMessage(event.data);');
async function echoes() {
  for (let index = 0; index < ROUND_TRIPS; index++) {
    await new Promise((resolve) => {
      echo.onmessage = resolve;
      echo.postMessage(1);
    });
  }
}

const rows = [];
for (const kind of ['number', 'object']) {
  const label = kind === 'number' ? 'channel<number>' : 'channel of ~100-byte objects';
  const fearless = await measure(() => fearlessStream(kind));
  const posted = await measure(() => postMessageStream(kind));
  rows.push({ name: `browser: ${label}, worker → page`, value: MESSAGES / (fearless / 1000), unit: 'msg/s', baseline: `browser: postMessage ${kind === 'number' ? 'numbers' : 'objects'}, worker → page`, better: 'higher' });
  rows.push({ name: `browser: postMessage ${kind === 'number' ? 'numbers' : 'objects'}, worker → page`, value: MESSAGES / (posted / 1000), unit: 'msg/s' });
}
const spawned = await measure(spawnJoins);
const echoed = await measure(echoes);
rows.push({ name: 'browser: warm spawn + join', value: (spawned * 1000) / ROUND_TRIPS, unit: 'µs', baseline: 'browser: raw worker echo (postMessage round trip)', better: 'lower' });
rows.push({ name: 'browser: raw worker echo (postMessage round trip)', value: (echoed * 1000) / ROUND_TRIPS, unit: 'µs' });
globalThis.fearlessBench = rows;
globalThis.fearlessDone = true;
