/**
 * The runtimes step (`npm run test:runtimes`): runs every job of jobs.ts as its own process
 * under Node, Bun or Deno, a few at a time, each with a timeout so a hang fails instead of
 * stalling CI. Prints one pass/FAIL line per job and a closing `N passed, N failed` line; exits
 * 1 on any failure.
 *
 *   node dist/test/runtimes/run.js [--runtime bun|deno|node] [--only SUBSTRING]
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { allJobs, type Job, type RuntimeName } from './jobs.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// Generous: a loaded 2-core CI machine runs a 2 s job in 20 s; a real hang still fails.
const timeoutMs = 120_000;

const { values: options } = parseArgs({ options: { runtime: { type: 'string', multiple: true }, only: { type: 'string' } } });

/** Bun and Deno come from their npm packages (devDependencies), never from the PATH. */
function binary(runtime: RuntimeName): string {
  if (runtime === 'node') return process.execPath;
  const file = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${runtime}.exe` : runtime);
  if (!existsSync(file)) throw new Error(`${runtime} is not installed at ${file}: run npm ci (it is a pinned devDependency)`);
  return file;
}

function command(job: Job): string[] {
  if (job.runtime === 'deno') return ['run', '-A', ...(job.sloppyImports ? ['--sloppy-imports'] : []), ...job.args];
  return [...job.args];
}

interface Outcome {
  readonly failure: string | undefined;
  readonly output: string;
  readonly ms: number;
}

function run(job: Job): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(binary(job.runtime), command(job), {
      cwd: root,
      // No update check or colours from Deno: CI has no network beyond the registry, and the
      // output is matched as text.
      env: { ...process.env, ...job.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const failure = timedOut ? `hung: still running after ${timeoutMs / 1000} s` : job.verdict(code, stdout);
      resolve({ failure, output: `${stdout}${stderr}`, ms: performance.now() - started });
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ failure: `could not start: ${error.message}`, output: '', ms: performance.now() - started });
    });
  });
}

function label(job: Job): string {
  return `${job.runtime} ${job.form} ${job.name}`;
}

const jobs = allJobs(root).filter(
  (job) => (options.runtime === undefined || options.runtime.includes(job.runtime)) && (options.only === undefined || label(job).includes(options.only)),
);
const versions = new Map<RuntimeName, string>();
for (const runtime of new Set(jobs.map((job) => job.runtime))) {
  const { execFileSync } = await import('node:child_process');
  // 'v20.20.2', '1.4.4', 'deno 2.9.6 (stable, release, …)': the version number alone.
  const line = execFileSync(binary(runtime), ['--version'], { encoding: 'utf8' }).split('\n')[0]!;
  versions.set(runtime, /\d+\.\d+\.\d+/.exec(line)?.[0] ?? line.trim());
}
console.log(`runtimes: ${[...versions].map(([name, version]) => `${name} ${version}`).join(', ')}; ${jobs.length} jobs`);

const stepStarted = performance.now();
const failures: Array<{ job: Job; outcome: Outcome }> = [];
let next = 0;
async function lane(): Promise<void> {
  while (next < jobs.length) {
    const job = jobs[next++]!;
    const outcome = await run(job);
    const seconds = (outcome.ms / 1000).toFixed(1);
    if (outcome.failure === undefined) {
      console.log(`pass ${label(job)} (${seconds} s)`);
    } else {
      failures.push({ job, outcome });
      console.log(`FAIL ${label(job)} (${seconds} s): ${outcome.failure}`);
      const tail = outcome.output.trimEnd().split('\n').slice(-25).join('\n    ');
      console.log(`    ${tail}`);
    }
  }
}
// Two at a time: each job starts several worker threads of its own.
const lanes = Math.max(1, Math.min(2, availableParallelism()));
await Promise.all(Array.from({ length: lanes }, lane));

console.log(`\n(${((performance.now() - stepStarted) / 1000).toFixed(0)} s, ${lanes} at a time)`);
console.log(`runtimes: ${jobs.length - failures.length} passed, ${failures.length} failed`);
for (const { job, outcome } of failures) console.log(`  failed: ${label(job)}: ${outcome.failure}`);
if (failures.length > 0) process.exitCode = 1;
