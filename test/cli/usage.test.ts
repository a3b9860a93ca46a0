import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, repoRoot, runCli } from './run-cli.js';

describe('fearless usage errors', () => {
  it('names the missing tsconfig and exits 2', () => {
    const result = runCli(['check', 'nowhere/tsconfig.json'], fixture('clean'));
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `error: tsconfig not found: ${fixture('clean/nowhere/tsconfig.json')} (pass the path of a tsconfig.json, e.g. \`fearless check path/to/tsconfig.json\`)\n`,
    );
  });

  it('looks for ./tsconfig.json by default and says so when there is none', () => {
    const result = runCli(['check'], fixture('clean/src'));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`tsconfig not found: ${fixture('clean/src/tsconfig.json')}`);
  });

  it('says what is wrong with an invalid tsconfig', () => {
    const result = runCli(['check'], fixture('invalid-tsconfig'));
    expect(result.status).toBe(2);
    const expected = `error: ${fixture('invalid-tsconfig/tsconfig.json')} is not a valid tsconfig: Argument for '--target' option must be`;
    expect(result.stderr.slice(0, expected.length)).toBe(expected);
  });

  it('fails (exit 2) instead of passing silently when `fearless` cannot be resolved', () => {
    const result = runCli(['check'], fixture('unresolved'));
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'error: `fearless` cannot be resolved from src/app.ts, so its sites there cannot be checked (install or build the package, or map it with `paths` in tsconfig.json)\n',
    );
  });

  it('suggests near names for an unknown type and lists what the file declares', () => {
    const result = runCli(['explain', 'src/types.ts:Jbo'], fixture('not-send'));
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'error: no type named `Jbo` in src/types.ts; did you mean `Job`? (types declared there: Job, Batch, Worker, Lookup, Message, ListNode, LocalCache, Point, Counters, Envelope, SharedCount, SharedView, MaybeShared)\n',
    );
  });

  it('says when the file is not part of the project', () => {
    const result = runCli(['explain', '../clean/src/app.ts:Point', '--project', 'tsconfig.json'], fixture('not-send'));
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `error: ${fixture('clean/src/app.ts')} is not part of the project ${fixture('not-send/tsconfig.json')} (see its \`include\` and \`files\`)\n`,
    );
  });

  it('says when the file does not exist, or the argument is not file:Type', () => {
    const missing = runCli(['explain', 'src/nope.ts:Job'], fixture('not-send'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe(`error: file not found: ${fixture('not-send/src/nope.ts')}\n`);
    const nothing = runCli(['explain'], fixture('not-send'));
    expect(nothing.status).toBe(2);
    expect(nothing.stderr).toBe('error: `fearless explain` needs a `<file>:<TypeName>` (e.g. `src/jobs.ts:Job`)\n');
    const noType = runCli(['explain', 'src/types.ts'], fixture('not-send'));
    expect(noType.status).toBe(2);
    expect(noType.stderr).toBe('error: `src/types.ts` is not `<file>:<TypeName>` (e.g. `src/jobs.ts:Job`)\n');
  });

  it('rejects unknown flags, bad --format values and unknown commands', () => {
    const flag = runCli(['check', '--fromat', 'json'], fixture('clean'));
    expect(flag.status).toBe(2);
    expect(flag.stderr).toBe('error: unknown option `--fromat` for `fearless check` (see `fearless check --help`)\n');
    const format = runCli(['check', '--format=xml'], fixture('clean'));
    expect(format.status).toBe(2);
    expect(format.stderr).toBe('error: `--format` must be `text` or `json`, not `xml`\n');
    const twoProjects = runCli(['check', 'a.json', 'b.json'], fixture('clean'));
    expect(twoProjects.status).toBe(2);
    expect(twoProjects.stderr).toBe('error: `fearless check` takes one tsconfig, not 2 (a.json, b.json); run it once per project\n');
    const command = runCli(['chekc'], fixture('clean'));
    expect(command.status).toBe(2);
    expect(command.stderr).toContain('unknown command `chekc`');
  });

  it('prints usage on stdout with --help, the version with --version (exit 0), and usage on stderr with no command (exit 2)', () => {
    const help = runCli(['--help'], fixture('clean'));
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('fearless check [tsconfig] [--format text|json] [--progress]');
    const checkHelp = runCli(['check', '--help'], fixture('clean'));
    expect(checkHelp.status).toBe(0);
    expect(checkHelp.stdout).toContain('Exit codes: 0 every site is Send, 1 at least one is not, 2 bad usage or configuration.');
    const version = runCli(['--version'], fixture('clean'));
    expect(version.stdout).toBe(`${(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version}\n`);
    const none = runCli([], fixture('clean'));
    expect(none.status).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('Usage:');
  });
});
