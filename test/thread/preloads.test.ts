import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loaderFlags } from '../../dist/src/worker/preloads.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = 'test/fixtures/preloads';
const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));

function run(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: repo, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

const results = async (args: readonly string[]): Promise<Record<string, unknown>> => {
  const { stdout, stderr } = await run(args);
  const line = stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new Error(`no result line; stdout: ${stdout}\nstderr: ${stderr}`);
  }
};

const expected = { closureImport: 'HI!', spawnExport: '>YO!' };

describe("workers run the main thread's loaders", () => {
  it('under tsx: a closure and a module export import TypeScript helpers in the thread', async () => {
    expect(await results([tsx, `${fixtures}/main.ts`])).toEqual(expected);
  });

  it('with node --import tsx, and a second --import that registers hooks (module.register)', async () => {
    expect(await results(['--import', 'tsx', '--import', `./${fixtures}/register-hooks.mjs`, `${fixtures}/main.ts`, '--hooked'])).toEqual({ ...expected, hooked: 42 });
  });

  it('with --import of a hooks module, compiled JavaScript', async () => {
    expect(await results([`--import=./${fixtures}/register-hooks.mjs`, 'dist/test/fixtures/preloads/main.js', '--hooked'])).toEqual({ ...expected, hooked: 42 });
  });

  it('with --experimental-loader', async () => {
    expect(await results(['--no-warnings', '--experimental-loader', `./${fixtures}/hooks.mjs`, 'dist/test/fixtures/preloads/main.js', '--hooked'])).toEqual({ ...expected, hooked: 42 });
  });

  it("a preload that fails in a worker makes the spawn panic with the preload's error", async () => {
    const { stdout, code } = await run(['--import', `./${fixtures}/fails-in-workers.mjs`, `${fixtures}/spawn-once.mjs`]);
    expect(stdout).toMatch(/ThreadPanic: .*the worker running this thread died: this preload refuses workers/);
    expect(code).toBe(0);
  });
});

describe('loaderFlags', () => {
  it('reads --import and --loader in both spellings, in order, and nothing else', () => {
    expect(loaderFlags(['--import', 'tsx', '--require', 'x.cjs', '--import=./a.mjs', '--experimental-loader', 'l.mjs', '--loader=m.mjs', '--max-old-space-size=100'])).toEqual([
      { kind: 'import', specifier: 'tsx' },
      { kind: 'import', specifier: './a.mjs' },
      { kind: 'loader', specifier: 'l.mjs' },
      { kind: 'loader', specifier: 'm.mjs' },
    ]);
    expect(loaderFlags(['--import'])).toEqual([]);
  });
});
