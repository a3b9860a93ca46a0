/**
 * `npm run bench`: runs every suite in bench/suites (each module's default export), in one
 * process, one after the other, so each suite's baseline shares the run with what it measures.
 * `npm run bench -- channels` runs only the suites whose file name contains `channels`.
 *
 * On Node, after each suite, its comparisons are written to README.md (between
 * `<!-- bench:begin -->` and `<!-- bench:end -->`) and to docs/bench-latest.md with the machine
 * it ran on (bench/report.ts); the rows of suites that did not run are kept. Under Bun or Deno
 * (the README's figures are Node's), or with FEARLESS_BENCH_WRITE=0, nothing is written.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { printedTables } from './lib.js';
import { updateLatest, updateTable, type SuiteRun } from './report.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const suitesDirectory = path.join(here, 'suites');
const filter = process.argv[2];
const files = (await readdir(suitesDirectory))
  .filter((file) => file.endsWith('.js') && (filter === undefined || file.includes(filter)))
  .sort();
if (files.length === 0) {
  console.error(`no benchmark suite matches ${filter === undefined ? '(any)' : `'${filter}'`} in ${suitesDirectory}`);
  process.exit(1);
}
// The same suites run under Bun and Deno (`bun dist/bench/run.js`, `deno run -A dist/bench/run.js`):
// name the runtime actually measured, not the Node version it emulates.
const { bun, deno } = process.versions as { bun?: string; deno?: string };
const runtime = bun !== undefined ? `bun ${bun}` : deno !== undefined ? `deno ${deno}` : `node ${process.version}`;
const write = bun === undefined && deno === undefined && process.env['FEARLESS_BENCH_WRITE'] !== '0';
console.log(`# fearless benchmarks — ${runtime}, ${new Date().toISOString()}`);

/** The repository: the folder above this file (bench/ under tsx, dist/bench/ once built) with a package.json. */
function repositoryRoot(): string {
  for (let folder = here; folder !== path.dirname(folder); folder = path.dirname(folder)) {
    if (existsSync(path.join(folder, 'package.json'))) return folder;
  }
  throw new Error(`no package.json above ${here}`);
}

/** Writes one suite's rows into README.md and docs/bench-latest.md. A file without the markers is named, not fatal: the figures are on the console. */
function record(run: SuiteRun): void {
  const root = repositoryRoot();
  const readme = path.join(root, 'README.md');
  const latest = path.join(root, 'docs/bench-latest.md');
  try {
    writeFileSync(readme, updateTable(readFileSync(readme, 'utf8'), [run]));
    writeFileSync(latest, updateLatest(existsSync(latest) ? readFileSync(latest, 'utf8') : undefined, [run]));
    console.log(`\n(${run.suite}: README.md and docs/bench-latest.md updated)`);
  } catch (error) {
    console.error(`\n(${run.suite}: README.md / docs/bench-latest.md not updated: ${(error as Error).message})`);
  }
}

for (const file of files) {
  const suite = (await import(path.join(suitesDirectory, file))) as { default: () => Promise<void> };
  const loadAtStart = loadavg();
  const firstTable = printedTables.length;
  await suite.default();
  if (!write) continue;
  record({
    suite: path.basename(file, '.js'),
    finished: new Date(),
    runtime,
    cores: availableParallelism(),
    loadAtStart,
    loadAtEnd: loadavg(),
    tables: printedTables.slice(firstTable),
  });
}
