/**
 * Warm spawn + join round trip, against a raw worker_threads postMessage echo measured in the
 * same run (target: at most 5× the raw round trip), and the `multithreading` peer's spawn
 * (target, issue 15: ahead of it).
 *
 * The three cases take turns, block by block, after a warm-up of each: on a shared machine the
 * load changes from one second to the next, and measuring one case after the other let that
 * change decide the ratio. Each figure is the median of its blocks.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { move, spawn } from 'fearless';
import { median, printTable, type Row } from '../lib.js';
import { loadPeer } from '../peer.js';
import { SPAWNS, WARMUP as FIRST_WARMUP } from '../first-spawns.js';

/** Round trips per block, blocks measured per case, and warm-up round trips per case. */
const BLOCK = 500;
const BLOCKS = 12;
const WARMUP = 5_000;

type Case = () => Promise<void>;

/** Median round trips per second of each case, over BLOCKS turns of BLOCK round trips. */
async function interleaved(cases: Record<string, Case>): Promise<Record<string, number>> {
  const rates: Record<string, number[]> = {};
  for (const [name, block] of Object.entries(cases)) {
    rates[name] = [];
    for (let done = 0; done < WARMUP; done += BLOCK) await block();
  }
  for (let turn = 0; turn < BLOCKS; turn++) {
    for (const [name, block] of Object.entries(cases)) {
      const start = process.hrtime.bigint();
      await block();
      rates[name]!.push(BLOCK / (Number(process.hrtime.bigint() - start) / 1e9));
    }
  }
  return Object.fromEntries(Object.entries(rates).map(([name, values]) => [name, median(values)]));
}

/** Fresh processes per case for the "first spawns" row, alternating fearless and the peer. */
const FIRST_ROUNDS = 11;
const firstSpawns = path.join(path.dirname(fileURLToPath(import.meta.url)), '../first-spawns.js');

/**
 * The median, over FIRST_ROUNDS fresh processes, of the mean round trip (µs) of the first SPAWNS
 * spawns after FIRST_WARMUP (bench/first-spawns.ts): what a program that spawns a few hundred
 * times sees, before any policy has settled or any code is optimized. Processes alternate
 * between the cases, so a change of load hits both.
 */
function firstSpawnMicros(cases: readonly string[]): Record<string, number> {
  const micros: Record<string, number[]> = Object.fromEntries(cases.map((name) => [name, []]));
  for (let round = 0; round < FIRST_ROUNDS; round++) {
    for (const name of cases) {
      const output = execFileSync(process.execPath, [firstSpawns, name], { encoding: 'utf8' });
      micros[name]!.push((JSON.parse(output) as { micros: number }).micros);
    }
  }
  return Object.fromEntries(cases.map((name) => [name, median(micros[name]!)]));
}

export default async function threads(): Promise<void> {
  const worker = new Worker(`const { parentPort } = require('node:worker_threads'); parentPort.on('message', (m) => parentPort.postMessage(m));`, { eval: true });
  let pending: ((value: unknown) => void) | undefined;
  worker.on('message', (message) => pending?.(message));
  const roundTrip = (value: number) =>
    new Promise((resolve) => {
      pending = resolve;
      worker.postMessage(value);
    });
  const peer = await loadPeer();
  const first = firstSpawnMicros(peer === undefined ? ['fearless'] : ['fearless', 'peer']);
  const cases: Record<string, Case> = {
    raw: async () => {
      for (let index = 0; index < BLOCK; index++) await roundTrip(index);
    },
    fearless: async () => {
      for (let index = 0; index < BLOCK; index++) await spawn(move(index), (value) => value).join();
    },
  };
  if (peer !== undefined) {
    cases['peer'] = async () => {
      for (let index = 0; index < BLOCK; index++) await peer.spawn(peer.move(index), (value: number) => value).join();
    };
  }
  const measured = await interleaved(cases);
  await worker.terminate();
  // The peer's workers stay referenced: without this the benchmark process never exits.
  peer?.shutdown();

  const raw = measured['raw']!;
  const ours = measured['fearless']!;
  const theirs = measured['peer'];
  const rows: Row[] = [
    { name: 'raw postMessage echo round trip', value: raw, unit: 'round trips/s' },
    { name: 'fearless spawn(move(i), f).join()', value: ours, unit: 'round trips/s', baseline: 'raw postMessage echo round trip', target: 'round trip ≤ 5× raw (ratio ≥ 0.20)' },
  ];
  if (theirs !== undefined) {
    rows.push({ name: 'multithreading spawn(...).join()', value: theirs, unit: 'round trips/s', baseline: 'raw postMessage echo round trip' });
    rows.push({ name: 'fearless spawn+join vs multithreading', value: ours, unit: 'round trips/s', baseline: 'multithreading spawn(...).join()', target: 'ahead of the peer (ratio > 1.0)' });
  }
  printTable(`Threads: warm spawn + join (cases take turns: ${BLOCKS} blocks of ${BLOCK} each, medians)`, rows);
  const firstName = `fearless first ${SPAWNS} spawns`;
  const firstRows: Row[] = [{ name: firstName, value: first['fearless']!, unit: 'µs per spawn+join', better: 'lower' }];
  if (first['peer'] !== undefined) {
    const peerName = `multithreading first ${SPAWNS} spawns`;
    firstRows.unshift({ name: peerName, value: first['peer'], unit: 'µs per spawn+join', better: 'lower' });
    firstRows[1] = { ...firstRows[1]!, baseline: peerName, target: 'ahead of the peer (ratio > 1.0)' };
  }
  printTable(`Threads: first ${SPAWNS} spawns (after ${FIRST_WARMUP} warm-up, a fresh process each, ${FIRST_ROUNDS} alternating rounds, medians)`, firstRows);
  const microseconds = (rate: number) => (1e6 / rate).toFixed(1);
  console.log(`\nround trip: raw ${microseconds(raw)} µs, fearless ${microseconds(ours)} µs (${(raw / ours).toFixed(2)}× raw)${theirs === undefined ? '' : `, multithreading ${microseconds(theirs)} µs (${(raw / theirs).toFixed(2)}× raw)`}`);
}
