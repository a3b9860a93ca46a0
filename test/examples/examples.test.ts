import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const runner = path.resolve('dist/examples/run.js');

async function example(name: string, env: Record<string, string> = {}) {
  try {
    const { stdout } = await run(process.execPath, [runner, name], { env: { ...process.env, ...env }, timeout: 120_000 });
    return { code: 0, stdout };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? -1, stdout: `${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  }
}

describe('examples', () => {
  it('fork-join gives the same results in parallel as sequentially', async () => {
    const { code, stdout } = await example('fork-join', { FORK_JOIN_FILES: '8', FORK_JOIN_WORDS: '3000' });
    expect(stdout).toMatch(/sequential: \d+ ms/);
    expect(stdout).toMatch(/parallel \(\d+ threads\): \d+ ms/);
    expect(stdout).toContain('results identical: true; 24000 words in 8 files');
    expect(code).toBe(0);
  });

  it('shared-glossary: every thread sees the whole map through one Arc', async () => {
    const { code, stdout } = await example('shared-glossary', { GLOSSARY_ENTRIES: '20000' });
    expect(stdout.match(/sees 20000 entries/g)).toHaveLength(8);
    expect(stdout).toContain('every lookup found: true');
    expect(code).toBe(0);
  });

  it('inverted-index: five stages joined, index written', async () => {
    const { code, stdout } = await example('inverted-index', { INDEX_FILES: '12', INDEX_WORDS: '800' });
    for (const stage of ['read', 'index', 'merge', 'write', 'mergeFiles']) expect(stdout).toMatch(new RegExp(`stage ${stage}: ok`));
    expect(stdout).toMatch(/stage read: ok 12\b/);
    expect(stdout).toMatch(/stage index: ok 12\b/);
    expect(stdout).toContain('pipeline finished: every stage joined');
    expect(code).toBe(0);
  });

  it('inverted-index: a failing stage is reported after every stage is joined, nothing hangs', async () => {
    const { code, stdout } = await example('inverted-index', { INDEX_FILES: '12', INDEX_WORDS: '800', FAIL_STAGE: 'index' });
    expect(stdout).toMatch(/stage index: FAILED ThreadPanic: cannot index .*injected failure/);
    // The stages after it see the end of their stream and finish.
    expect(stdout).toMatch(/stage merge: ok/);
    expect(stdout).toMatch(/stage mergeFiles: ok/);
    // Upstream, the reader either finished first or got SendError once the receiver was dropped
    // with the failed thread — as a Rust sender would.
    expect(stdout).toMatch(/stage read: (ok 12|FAILED ThreadPanic: sending on a closed channel)/);
    expect(stdout).toMatch(/pipeline finished with [12] failed stage\(s\); every stage joined/);
    expect(code).toBe(1);
  });

  it('counter: 10 threads count to 10 under a Mutex; +1e6 -1e6 on an atomic is 0', async () => {
    const { code, stdout } = await example('counter');
    expect(stdout).toContain('Result: 10');
    expect(stdout).toContain('Atomic after +1000000 and -1000000: 0');
    expect(code).toBe(0);
  });

  it('an unknown example name is a clear usage error', async () => {
    const { code, stdout } = await example('nope');
    expect(stdout).toContain("unknown example 'nope'; choose one of: counter, fork-join, inverted-index, shared-glossary");
    expect(code).toBe(2);
  });
});
