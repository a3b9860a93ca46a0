/**
 * `npm run bench:lint`: how much fearless's rules add to a type-aware lint. Lints a generated
 * 100-file project with typescript-eslint's `recommendedTypeChecked` alone, then with
 * `fearless.configs.recommended` added, alternating, each run in a fresh process; prints the
 * medians and the median ratio of back-to-back pairs (target ≤ 1.2×). `npm run bench:lint -- 7`
 * sets the number of pairs (default 5).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../lib.js';
import { generateProject } from './generate.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repositoryRoot = path.resolve(here, '../../..');
const projectDir = path.join(repositoryRoot, 'bench/.out/lint-project');
const runs = Number(process.argv[2] ?? 5);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`bench:lint: the number of runs must be a positive integer, got '${process.argv[2]}'`);
  process.exit(2);
}

interface Measurement {
  readonly ms: number;
  readonly cpuMs: number;
  readonly files: number;
  readonly fearlessProblems: number;
}

function lintOnce(mode: 'baseline' | 'fearless'): Measurement {
  const output = execFileSync(process.execPath, [path.join(here, 'lint-once.js'), mode, projectDir], { encoding: 'utf8' });
  return JSON.parse(output) as Measurement;
}

/** Median of the per-pair ratios: each pair ran back to back, which cancels slow swings in load. */
function pairRatio(numerators: readonly number[], denominators: readonly number[]): number {
  return median(numerators.map((value, index) => value / denominators[index]!));
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

generateProject(projectDir, repositoryRoot, 100);
console.log(`# lint benchmark — node ${process.version}, ${runs} back-to-back pair(s), project ${projectDir}`);
const baseline: Measurement[] = [];
const withFearless: Measurement[] = [];
for (let run = 0; run < runs; run++) {
  baseline.push(lintOnce('baseline'));
  withFearless.push(lintOnce('fearless'));
}
const wall = (list: readonly Measurement[]): number[] => list.map((measurement) => measurement.ms);
const cpu = (list: readonly Measurement[]): number[] => list.map((measurement) => measurement.cpuMs);
const last = withFearless.at(-1);
console.log(`files linted: ${last?.files ?? 0}; fearless reports on the deliberate mistakes: ${last?.fearlessProblems ?? 0}`);
console.log('');
console.log('|                                  | CPU time (median) | wall time (median) |');
console.log('|----------------------------------|-------------------|--------------------|');
console.log(`| recommendedTypeChecked           | ${seconds(median(cpu(baseline))).padStart(17)} | ${seconds(median(wall(baseline))).padStart(18)} |`);
console.log(`| + fearless.configs.recommended   | ${seconds(median(cpu(withFearless))).padStart(17)} | ${seconds(median(wall(withFearless))).padStart(18)} |`);
console.log(`| ratio (median of pairs)          | ${`${pairRatio(cpu(withFearless), cpu(baseline)).toFixed(3)}×`.padStart(17)} | ${`${pairRatio(wall(withFearless), wall(baseline)).toFixed(3)}×`.padStart(18)} |`);
console.log('');
console.log('target: ≤ 1.2× (CPU time is the figure to trust on a shared machine)');
