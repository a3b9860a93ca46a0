/**
 * `npm run bench:types`: what the Send/Sync marker types cost the checker. Compiles each
 * generated project (see generate.ts) with the real markers and with plain `T`, alternating,
 * and prints the median instantiations and check time of each and their ratio.
 *
 * Two scenarios, 200 call sites over 200-field messages each:
 * - `shared`: 10 message types, as an application that sends a few message types from many
 *   places (target ≤ 1.6× check time);
 * - `distinct`: a message type per call site, the worst case (target ≤ 2.2×).
 * And an `application`: 100 ordinary modules (records, classes, generic helpers, array
 * pipelines), one in ten of which posts to a worker, where send sites are a small share of what
 * the checker does; its overhead is what a user of the package pays.
 *
 * A third compilation, `floor`, uses the cheapest recursive check there is (see generate.ts), to
 * show how much of the cost any field-by-field check pays.
 *
 * `node dist/bench/types/run.js [repetitions]`
 */
import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { median, printTable } from '../lib.js';
import { generateApplication, generateProjects, type ApplicationShape, type ProjectShape } from './generate.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
// dist/bench/types → the repository root.
const root = path.resolve(here, '..', '..', '..');
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');

const repetitions = Number(process.argv[2] ?? 5);
if (!Number.isInteger(repetitions) || repetitions < 1) {
  throw new Error(`expected a positive whole number of repetitions, got '${process.argv[2]}'`);
}

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

async function scenario(name: string, shape: ProjectShape, target: string): Promise<number> {
  const projects = await generateProjects(path.join(root, 'bench', '.out', 'types', name), path.join(root, 'dist', 'src', 'marker'), shape);
  const real: Measure[] = [];
  const plain: Measure[] = [];
  const floor: Measure[] = [];
  for (let repetition = 0; repetition < repetitions; repetition++) {
    // Alternate so that load from other processes on the machine falls on all sides alike.
    plain.push(await compile(projects.plain));
    real.push(await compile(projects.real));
    floor.push(await compile(projects.floor));
  }
  const instantiations = { real: median(real.map((m) => m.instantiations)), plain: median(plain.map((m) => m.instantiations)) };
  const check = {
    real: median(real.map((m) => m.checkSeconds)),
    plain: median(plain.map((m) => m.checkSeconds)),
    floor: median(floor.map((m) => m.checkSeconds)),
  };
  printTable(
    `${name}: ${shape.callSites} call sites over ${shape.messageTypes} message types of ${shape.fields} fields`,
    [
      { name: 'instantiations, plain T', value: instantiations.plain, unit: '' },
      { name: 'instantiations, Send/Sync', value: instantiations.real, unit: '', baseline: 'instantiations, plain T', better: 'higher' },
      { name: 'check time, plain T', value: check.plain * 1000, unit: 'ms' },
      { name: 'check time, Send/Sync', value: check.real * 1000, unit: 'ms', baseline: 'check time, plain T', better: 'higher', target },
      {
        name: 'check time, floor (bare recursive mapping, reference)',
        value: check.floor * 1000,
        unit: 'ms',
        baseline: 'check time, plain T',
        better: 'higher',
      },
    ],
  );
  const ratio = check.real / check.plain;
  console.log(
    `\n${name}: check time ${ratio.toFixed(2)}× plain T (${(check.real * 1000).toFixed(0)} vs ${(check.plain * 1000).toFixed(0)} ms), ` +
      `${instantiations.real} vs ${instantiations.plain} instantiations ` +
      `(${((instantiations.real - instantiations.plain) / shape.messageTypes).toFixed(0)} more per message type); ` +
      `the bare recursive mapping alone costs ${(check.floor / check.plain).toFixed(2)}×`,
  );
  return ratio;
}

async function application(name: string, shape: ApplicationShape): Promise<number> {
  const projects = await generateApplication(path.join(root, 'bench', '.out', 'types', name), path.join(root, 'dist', 'src', 'marker'), shape);
  const real: Measure[] = [];
  const plain: Measure[] = [];
  for (let repetition = 0; repetition < repetitions; repetition++) {
    plain.push(await compile(projects.plain));
    real.push(await compile(projects.real));
  }
  const instantiations = { real: median(real.map((m) => m.instantiations)), plain: median(plain.map((m) => m.instantiations)) };
  const check = { real: median(real.map((m) => m.checkSeconds)), plain: median(plain.map((m) => m.checkSeconds)) };
  const sendingFiles = Math.ceil(shape.files / shape.sendEvery);
  printTable(`${name}: ${shape.files} modules, ${sendingFiles} of them with send sites (${sendingFiles * 4} sites)`, [
    { name: 'instantiations, plain T', value: instantiations.plain, unit: '' },
    { name: 'instantiations, Send/Sync', value: instantiations.real, unit: '', baseline: 'instantiations, plain T', better: 'higher' },
    { name: 'check time, plain T', value: check.plain * 1000, unit: 'ms' },
    { name: 'check time, Send/Sync', value: check.real * 1000, unit: 'ms', baseline: 'check time, plain T', better: 'higher', target: 'overhead, reported' },
  ]);
  const ratio = check.real / check.plain;
  console.log(
    `\n${name}: check time ${ratio.toFixed(2)}× plain T (${(check.real * 1000).toFixed(0)} vs ${(check.plain * 1000).toFixed(0)} ms), ` +
      `${instantiations.real} vs ${instantiations.plain} instantiations`,
  );
  return ratio;
}

/** The 1-minute load average: check times are wall-clock, so every table says how busy the machine was. */
const load = (): string => loadavg()[0]!.toFixed(2);

console.log(`# marker type cost (tsc --extendedDiagnostics, median of ${repetitions} alternating runs), load average ${load()}`);
const shared = await scenario('shared', { callSites: 200, messageTypes: 10, fields: 200 }, '≤ 1.6×');
const distinct = await scenario('distinct', { callSites: 200, messageTypes: 200, fields: 200 }, '≤ 2.2×');
const app = await application('application', { files: 100, sendEvery: 10 });
console.log(`\nshared-types check time ratio: ${shared.toFixed(2)}× (target ≤ 1.6×)${shared <= 1.6 ? '' : ' — ABOVE TARGET'}`);
console.log(`distinct-types check time ratio: ${distinct.toFixed(2)}× (target ≤ 2.2×)${distinct <= 2.2 ? '' : ' — ABOVE TARGET'}`);
console.log(`application check time ratio: ${app.toFixed(2)}× (send sites in 1 module of 10)`);
console.log(`load average at the end: ${load()}`);
