/**
 * `npm run bench:lint`: how much fearless's rules add to a type-aware lint. Lints a generated
 * 100-file project with typescript-eslint's `recommendedTypeChecked` alone, then with
 * `fearless.configs.recommended` added, alternating, each run in a fresh process; prints the
 * medians and their ratio (target ≤ 1.2×). `npm run bench:lint -- 5` sets the number of runs.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../lib.js';
import { generateProject } from './generate.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repositoryRoot = path.resolve(here, '../../..');
const projectDir = path.join(repositoryRoot, 'bench/.out/lint-project');
const runs = Number(process.argv[2] ?? 3);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`bench:lint: the number of runs must be a positive integer, got '${process.argv[2]}'`);
  process.exit(2);
}

interface Measurement {
  readonly ms: number;
  readonly files: number;
  readonly fearlessProblems: number;
}

function lintOnce(mode: 'baseline' | 'fearless'): Measurement {
  const output = execFileSync(process.execPath, [path.join(here, 'lint-once.js'), mode, projectDir], { encoding: 'utf8' });
  return JSON.parse(output) as Measurement;
}

generateProject(projectDir, repositoryRoot, 100);
console.log(`# lint benchmark — node ${process.version}, ${runs} run(s) per configuration, project ${projectDir}`);
const baseline: number[] = [];
const withFearless: number[] = [];
let last: Measurement | undefined;
for (let run = 0; run < runs; run++) {
  baseline.push(lintOnce('baseline').ms);
  last = lintOnce('fearless');
  withFearless.push(last.ms);
}
const base = median(baseline);
const full = median(withFearless);
console.log(`files linted:                                   ${last?.files ?? 0}`);
console.log(`recommendedTypeChecked alone:                   ${(base / 1000).toFixed(2)} s (median)`);
console.log(`+ fearless.configs.recommended:                 ${(full / 1000).toFixed(2)} s (median)`);
console.log(`ratio:                                          ${(full / base).toFixed(3)}× (target ≤ 1.2×)`);
console.log(`fearless reports in the deliberate mistakes:    ${last?.fearlessProblems ?? 0}`);
