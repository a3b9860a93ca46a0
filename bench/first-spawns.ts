/**
 * One round of the threads suite's "first 200 spawns" row, in a process of its own (so neither
 * the pool's spin-or-park policy nor V8's compiled code has seen a job before):
 *
 *   node dist/bench/first-spawns.js fearless|peer
 *
 * After WARMUP spawns (the pool's worker starts, as a program's first spawns start it), times
 * the next SPAWNS warm spawn(move(i), f).join() round trips one after the other, and prints the
 * mean round trip and the process's CPU time per round trip, in microseconds. bench/suites/threads.ts runs it, alternating with the peer.
 */
import { move, spawn } from 'fearless';
import { loadPeer } from './peer.js';

export const WARMUP = 20;
export const SPAWNS = 200;

const which = process.argv[2];
let round: (value: number) => Promise<unknown>;
let shutdown = (): void => {};
if (which === 'peer') {
  const peer = await loadPeer();
  if (peer === undefined) process.exit(2);
  round = (value) => peer.spawn(peer.move(value), (item: number) => item).join();
  shutdown = () => peer.shutdown();
} else {
  round = (value) => spawn(move(value), (item) => item).join();
}
for (let index = 0; index < WARMUP; index++) await round(index);
const cpu = process.cpuUsage();
const start = process.hrtime.bigint();
for (let index = 0; index < SPAWNS; index++) await round(index);
const micros = Number(process.hrtime.bigint() - start) / 1e3 / SPAWNS;
// CPU time of every thread of the process: what the round trips cost, less sensitive to load.
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({ micros, cpuMicros: (used.user + used.system) / SPAWNS }));
shutdown();
