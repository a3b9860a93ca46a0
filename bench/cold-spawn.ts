/**
 * `npm run bench:cold`: what starting the first thread costs a fresh process, the package as
 * installed (the worker from its files) against a program that bundled fearless (the worker
 * from the text it carries, src/worker-entry/), in one run, alternating process by process.
 *
 *   node dist/bench/cold-spawn.js [--rounds 9] [--baseline <another build's dist/>]
 *
 * Two figures per process, from the process's own clock: process start → first spawn joined,
 * and a new ThreadPool's first spawn joined (its worker started then). `--baseline` adds the
 * installed case of another build (e.g. the commit before) as the rows' baseline.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { median, printTable, type Row } from './lib.js';

const { values: options } = parseArgs({ options: { rounds: { type: 'string', default: '9' }, baseline: { type: 'string' } } });
const rounds = Number(options.rounds);
const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const folder = mkdtempSync(path.join(tmpdir(), 'fearless-cold-spawn-'));

function probe(index: string): string {
  return [
    // A path, which both Node and esbuild resolve (esbuild reads no file: URL).
    `import { ThreadPool, spawn } from ${JSON.stringify(index)};`,
    'await spawn(() => 1).join();',
    'const first = performance.now();',
    'const pool = new ThreadPool({ size: 1 });',
    'const started = performance.now();',
    'await pool.spawn(() => 2).join();',
    'const poolFirst = performance.now() - started;',
    'await pool.close();',
    'console.log(JSON.stringify({ first, poolFirst }));',
    '',
  ].join('\n');
}

interface Case {
  readonly name: string;
  readonly file: string;
  readonly first: number[];
  readonly poolFirst: number[];
}

const cases: Case[] = [];
const installed = path.join(folder, 'installed.mjs');
writeFileSync(installed, probe(path.join(dist, 'src/index.js')));
if (options.baseline !== undefined) {
  const before = path.join(folder, 'baseline.mjs');
  writeFileSync(before, probe(path.resolve(options.baseline, 'src/index.js')));
  cases.push({ name: 'installed, baseline build (worker from its file)', file: before, first: [], poolFirst: [] });
}
cases.push({ name: 'installed, this build (worker from its file)', file: installed, first: [], poolFirst: [] });
// Bundled into a folder of its own: no worker file anywhere near it.
const bundled = path.join(mkdtempSync(path.join(folder, 'bundle-')), 'bundled.mjs');
await build({ entryPoints: [installed], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: bundled, logLevel: 'error' });
cases.push({ name: 'bundled, this build (worker from its text)', file: bundled, first: [], poolFirst: [] });

try {
  for (let round = 0; round < rounds + 1; round++) {
    for (const each of cases) {
      const { first, poolFirst } = JSON.parse(execFileSync(process.execPath, [each.file], { cwd: folder, encoding: 'utf8' })) as { first: number; poolFirst: number };
      // The first round warms the file system cache for every case alike.
      if (round === 0) continue;
      each.first.push(first);
      each.poolFirst.push(poolFirst);
    }
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}

const baseline = cases[0]!.name;
const rows = (pick: (each: Case) => number[], label: string): Row[] =>
  cases.map((each) => ({ name: `${label}: ${each.name}`, value: median(pick(each)), unit: 'ms', better: 'lower', ...(each.name === baseline ? {} : { baseline: `${label}: ${baseline}`, target: '≥ 0.83× (≤ 1.2× the time)' }) }));
printTable(`cold first spawn (${rounds} processes each, alternating)`, [...rows((each) => each.first, 'process start → first spawn joined'), ...rows((each) => each.poolFirst, "new pool's first spawn")]);
