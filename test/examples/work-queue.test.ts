import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const runner = path.resolve('dist/examples/run.js');

describe('examples: work-queue', () => {
  it('every job is handled exactly once by the workers on cloned receivers, and closing stop ends every thread', async () => {
    const { stdout } = await run(process.execPath, [runner, 'work-queue'], {
      env: { ...process.env, WORK_QUEUE_JOBS: '600', WORK_QUEUE_WORKERS: '3' },
      timeout: 120_000,
    });
    expect(stdout).toContain('results: 600 for 600 jobs; each job exactly once: true');
    expect(stdout).toMatch(/jobs per worker: \d+, \d+, \d+ \(as the workers counted: true\)/);
    const handled = [...stdout.matchAll(/worker \d: stopped after (\d+) jobs/g)].map((match) => Number(match[1]));
    expect(handled).toHaveLength(3);
    expect(handled.reduce((a, b) => a + b, 0)).toBe(600);
    // The producer paused longer than the workers' timeout: some worker's select timed out.
    expect(stdout).toMatch(/timed out waiting at least once/);
    expect(stdout).toContain('producer: sent 600 jobs, then stopped');
    expect(stdout).toContain('work-queue finished: every thread joined');
  });
});
