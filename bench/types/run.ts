/**
 * `npm run bench:types`: what the Send/Sync marker types cost the checker. Compiles the
 * generated project (see generate.ts) with the real markers and with plain `T`, alternating,
 * and prints the median instantiations and check time of each and their ratio.
 *
 * `node dist/bench/types/run.js [repetitions] [callSites] [fields]`
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { median, printTable } from '../lib.js';
import { generateProjects } from './generate.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
// dist/bench/types → the repository root.
const root = path.resolve(here, '..', '..', '..');
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');

const [repetitions = 5, callSites = 200, fields = 200] = process.argv.slice(2).map((argument) => {
  const value = Number(argument);
  if (!Number.isInteger(value) || value < 1) throw new Error(`expected a positive integer argument, got '${argument}'`);
  return value;
});

interface Measure {
  readonly instantiations: number;
  readonly checkSeconds: number;
}

function field(output: string, name: string): number {
  const match = new RegExp(`^${name}:\\s+([\\d.]+)`, 'm').exec(output);
  if (match === null) throw new Error(`tsc --extendedDiagnostics printed no '${name}' line:\n${output}`);
  return Number(match[1]);
}

async function compile(project: string): Promise<Measure> {
  const { stdout } = await run(process.execPath, [tsc, '-p', project, '--extendedDiagnostics'], {
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: unknown) => {
    // A type error in the generated project would make the comparison meaningless.
    const output = (error as { stdout?: string }).stdout ?? (error instanceof Error ? error.message : '');
    throw new Error(`the generated project ${project} does not compile:\n${output}`, { cause: error });
  });
  return { instantiations: field(stdout, 'Instantiations'), checkSeconds: field(stdout, 'Check time') };
}

const projects = await generateProjects(path.join(root, 'bench', '.out', 'types'), path.join(root, 'src', 'marker'), {
  callSites,
  fields,
});
console.log(`# marker type cost — ${callSites} call sites × ${fields}-field messages, ${repetitions} runs each`);
const real: Measure[] = [];
const plain: Measure[] = [];
for (let repetition = 0; repetition < repetitions; repetition++) {
  // Alternate so that load from other processes on the machine falls on both sides alike.
  plain.push(await compile(projects.plain));
  real.push(await compile(projects.real));
}
const instantiations = { real: median(real.map((m) => m.instantiations)), plain: median(plain.map((m) => m.instantiations)) };
const check = { real: median(real.map((m) => m.checkSeconds)), plain: median(plain.map((m) => m.checkSeconds)) };
printTable('tsc --extendedDiagnostics', [
  { name: 'instantiations, plain T', value: instantiations.plain, unit: '' },
  { name: 'instantiations, Send/Sync', value: instantiations.real, unit: '', baseline: 'instantiations, plain T', better: 'higher' },
  { name: 'check time, plain T', value: check.plain * 1000, unit: 'ms' },
  { name: 'check time, Send/Sync', value: check.real * 1000, unit: 'ms', baseline: 'check time, plain T', better: 'higher', target: '≤ 1.3×' },
]);
const ratio = check.real / check.plain;
console.log(`\ncheck time ratio: ${ratio.toFixed(2)}× (target ≤ 1.3×)${ratio <= 1.3 ? '' : ' — ABOVE TARGET'}`);
console.log(`instantiations: ${instantiations.real} vs ${instantiations.plain} (+${instantiations.real - instantiations.plain})`);
