/**
 * Warm spawn + join round trip, against a raw worker_threads postMessage echo measured in the
 * same run (target: at most 5× the raw round trip), and the `multithreading` peer's spawn.
 */
import { Worker } from 'node:worker_threads';
import { move, spawn } from 'fearless';
import { opsPerSecond, printTable, type Row } from '../lib.js';
import { loadPeer } from '../peer.js';

const rounds = 2_000;

async function rawEcho(): Promise<number> {
  const worker = new Worker(`const { parentPort } = require('node:worker_threads'); parentPort.on('message', (m) => parentPort.postMessage(m));`, { eval: true });
  let pending: ((value: unknown) => void) | undefined;
  worker.on('message', (message) => pending?.(message));
  const roundTrip = (value: number) =>
    new Promise((resolve) => {
      pending = resolve;
      worker.postMessage(value);
    });
  const rate = await opsPerSecond(rounds, async () => {
    for (let index = 0; index < rounds; index++) await roundTrip(index);
  });
  await worker.terminate();
  return rate;
}

async function fearlessSpawn(): Promise<number> {
  return opsPerSecond(rounds, async () => {
    for (let index = 0; index < rounds; index++) await spawn(move(index), (value) => value).join();
  });
}

async function peerSpawn(): Promise<number | undefined> {
  const peer = await loadPeer();
  if (peer === undefined) return undefined;
  const rate = await opsPerSecond(rounds / 4, async () => {
    for (let index = 0; index < rounds / 4; index++) await peer.spawn(peer.move(index), (value: number) => value).join();
  });
  // The peer's workers stay referenced: without this the benchmark process never exits.
  peer.shutdown();
  return rate;
}

export default async function threads(): Promise<void> {
  const raw = await rawEcho();
  const ours = await fearlessSpawn();
  const peer = await peerSpawn();
  const rows: Row[] = [
    { name: 'raw postMessage echo round trip', value: raw, unit: 'round trips/s' },
    { name: 'fearless spawn(move(i), f).join()', value: ours, unit: 'round trips/s', baseline: 'raw postMessage echo round trip', target: 'round trip ≤ 5× raw (ratio ≥ 0.20)' },
  ];
  if (peer !== undefined) {
    rows.push({ name: 'multithreading spawn(...).join()', value: peer, unit: 'round trips/s', baseline: 'raw postMessage echo round trip' });
    // Issue 15: fearless's warm spawn+join must be ahead of the peer's, same run.
    rows.push({ name: 'fearless spawn+join vs multithreading', value: ours, unit: 'round trips/s', baseline: 'multithreading spawn(...).join()', target: 'ahead of the peer (ratio > 1.0)' });
  }
  printTable('Threads: warm spawn + join', rows);
  const microseconds = (rate: number) => (1e6 / rate).toFixed(1);
  console.log(`\nround trip: raw ${microseconds(raw)} µs, fearless ${microseconds(ours)} µs (${(raw / ours).toFixed(2)}× raw)${peer === undefined ? '' : `, multithreading ${microseconds(peer)} µs (${(raw / peer).toFixed(2)}× raw)`}`);
}
