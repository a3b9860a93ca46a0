#!/usr/bin/env node
/**
 * The `fearless` command: `fearless check` and `fearless explain` (see docs/cli.md).
 * Exit codes: 0 clean, 1 a site is not Send, 2 bad usage or configuration.
 */
import { readFileSync } from 'node:fs';
import { isCommand, parseArgs, usage } from './args.js';
import { runCheck, type Io } from './check-command.js';
import { runExplain } from './explain-command.js';
import { UsageError } from './usage-error.js';

function version(): string {
  // dist/src/cli/main.js → the package's own package.json.
  const manifest: unknown = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
  return typeof manifest === 'object' && manifest !== null && 'version' in manifest ? String(manifest.version) : 'unknown';
}

export function main(argv: readonly string[], io: Io): number {
  const [command, ...rest] = argv;
  try {
    if (command === undefined) {
      io.stderr.write(`${usage.main}\n`);
      return 2;
    }
    if (command === '--help' || command === '-h' || command === 'help') {
      io.stdout.write(`${usage.main}\n`);
      return 0;
    }
    if (command === '--version' || command === '-v') {
      io.stdout.write(`${version()}\n`);
      return 0;
    }
    if (!isCommand(command)) {
      throw new UsageError(`unknown command \`${command}\` (the commands are \`check\` and \`explain\`; see \`fearless --help\`)`);
    }
    const { positionals, options } = parseArgs(command, rest);
    if (options.help) {
      io.stdout.write(`${usage[command]}\n`);
      return 0;
    }
    return command === 'check' ? runCheck(positionals, options, io) : runExplain(positionals, options, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = main(process.argv.slice(2), { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr });
