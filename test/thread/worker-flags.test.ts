import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { workerExecArgv } from '../../dist/src/thread/worker-flags.js';

const entry = fileURLToPath(new URL('../../dist/src/index.js', import.meta.url));

/** Runs `node ...flags` and gives what it printed (or its error). */
function node(flags: readonly string[]): Promise<{ stdout: string; stderr: string; failed: boolean }> {
  return new Promise((resolve) => {
    execFile(process.execPath, flags, { timeout: 60_000 }, (error, stdout, stderr) => resolve({ stdout, stderr, failed: error !== null }));
  });
}

describe('workers start with the flags that make sense for them (issue 23, item 3)', () => {
  it('node --input-type=module -e: a spawn runs (it panicked: the worker inherited --input-type and died)', async () => {
    const program = `import { spawn } from ${JSON.stringify(entry)}; console.log(await spawn(() => 40 + 2).join());`;
    for (const flags of [['--input-type=module', '-e', program], ['--input-type', 'module', '--eval', program]]) {
      const { stdout, stderr, failed } = await node(flags);
      expect({ stdout: stdout.trim(), failed }, stderr).toEqual({ stdout: '42', failed: false });
    }
  });

  it('leaves out only the entry-only flags and their values, keeps every other flag in order', () => {
    expect(workerExecArgv(['--input-type=module', '-e', 'code()', '--max-old-space-size=64'])).toEqual(['--max-old-space-size=64']);
    expect(workerExecArgv(['--import', 'tsx', '--input-type', 'module', '-p', '1', '--conditions=dev'])).toEqual(['--import', 'tsx', '--conditions=dev']);
    expect(workerExecArgv(['-i', '--check', '--enable-source-maps'])).toEqual(['--enable-source-maps']);
  });

  it('gives back the same array when nothing is left out (workers then take Node’s default)', () => {
    const flags = ['--import', 'tsx', '--enable-source-maps'];
    expect(workerExecArgv(flags)).toBe(flags);
    expect(workerExecArgv([])).toEqual([]);
  });
});
