import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { spawn } from 'fearless';
import { afterAll, describe, expect, it } from 'vitest';

// How a worker comes up (src/worker-entry/start.ts): from the package's file as installed, from
// the bundled text inside a program that bundles fearless.
const root = process.cwd();
// In the repository, so that `fearless` resolves to this package (its self-reference).
const source = path.join(root, `test/.tmp/worker-entry-${process.pid}`);
const folders: string[] = [];
mkdirSync(source, { recursive: true });
afterAll(() => {
  for (const folder of [source, ...folders]) rmSync(folder, { recursive: true, force: true });
});

/** What the bundled program reports: a stack made in a thread, an import() there, a panic's. */
const program = `
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { move, spawn } from 'fearless';
async function main() {
  // A module beside the bundle, made now: the folder held the bundle alone until here.
  writeFileSync(path.join(path.dirname(process.argv[1]), 'helper.mjs'), "export const value = 'beside the bundle';");
  const beside = await spawn(move('./helper.mjs'), async (name) => (await import(name)).value).join();
  const stack = await spawn(() => new Error('made in the thread').stack).join();
  // A closure that imports is compiled under its caller's name: the bundle's.
  const [joined, importerStack] = await spawn(async () => [(await import('node:path')).posix.join('a', 'b'), new Error('here').stack]).join();
  const panic = await spawn(function failing() {
    throw new Error('boom');
  }).join().catch((error) => error);
  console.log(JSON.stringify({ beside, stack, joined, importerStack, panic: panic.name, code: panic.code, cause: panic.cause.stack }));
}
main();
`;

interface Report {
  readonly beside: string;
  readonly stack: string;
  readonly joined: string;
  readonly importerStack: string;
  readonly panic: string;
  readonly code: string;
  readonly cause: string;
}

async function bundled(format: 'esm' | 'cjs'): Promise<{ before: string[]; file: string; report: Report }> {
  const entry = path.join(source, 'program.js');
  writeFileSync(entry, program);
  const alone = mkdtempSync(path.join(tmpdir(), 'fearless-bundle-alone-'));
  folders.push(alone);
  const file = path.join(alone, format === 'esm' ? 'program.mjs' : 'program.cjs');
  // The program alone in an empty folder: no src/worker/main.js anywhere near it.
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format, target: 'node20', outfile: file, logLevel: 'error' });
  const before = readdirSync(alone);
  const output = execFileSync(process.execPath, [file], { cwd: alone, encoding: 'utf8' });
  return { before, file, report: JSON.parse(output) as Report };
}

describe('the worker comes up', () => {
  it('from the package\'s file when the package is installed: its frames name src/worker/main.js', async () => {
    const stack = await spawn(() => new Error('made in the thread').stack).join();
    expect(stack).toMatch(/[\\/]dist[\\/]src[\\/]worker[\\/]main\.js/);
    expect(stack).not.toContain('fearless-worker.js');
  });

  it.each(['esm', 'cjs'] as const)('from its text in a %s bundle run alone in an empty folder, with the program\'s file in the closure\'s frames', async (format) => {
    const { before, file, report } = await bundled(format);
    expect(before).toEqual([path.basename(file)]);
    // A closure's import() resolves against the file that called spawn: here, the bundle.
    expect(report.beside).toBe('beside the bundle');
    // The worker's own frames are the text's; a closure that imports is the bundle's (its caller).
    expect(report.stack).toContain('fearless-worker.js');
    expect(report.stack).not.toMatch(/[\\/]worker[\\/]main\.js/);
    expect(report.joined).toBe('a/b');
    expect(report.importerStack.split('\n')[1]).toContain(file);
    expect(report).toMatchObject({ panic: 'ThreadPanic', code: 'FEARLESS_THREAD_PANIC' });
    expect(report.cause).toContain('boom');
    expect(report.cause).toContain('at failing (');
  }, 60_000);
});
