/**
 * Runs the built CLI (`dist/src/cli/main.js`, what `npx fearless` runs) as a child process, the
 * way a user or CI does: real argv, real exit code, stdout and stderr kept apart.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const cliPath = join(repoRoot, 'dist/src/cli/main.js');

/** A fixture project under test/fixtures/cli. */
export const fixture = (name: string): string => join(repoRoot, 'test/fixtures/cli', name);

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: readonly string[], cwd: string): CliResult {
  const result = spawnSync(process.execPath, [cliPath, ...args], {
    cwd,
    encoding: 'utf8',
    // Loading a project type-checks it; the machine may be busy with other test runs.
    timeout: 120_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (result.error !== undefined) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `file:line:column` of every diagnostic in a text report, in order. */
export function locations(report: string): string[] {
  return [...report.matchAll(/^ +--> (\S+)$/gm)].map((match) => match[1] ?? '');
}
