#!/usr/bin/env node
/**
 * The `fearless` command: `fearless check` and `fearless explain` (see docs/cli.md).
 * Exit codes: 0 clean, 1 a site is not Send, 2 bad usage or configuration, 3 internal error.
 */
import { readFileSync } from 'node:fs';
import { isCommand, parseArgs, usage } from './args.js';
import type { Io } from './check-command.js';
import { UsageError } from './usage-error.js';
import { loadWithPeers, MissingPeerError } from '../peer/optional-peer.js';

const cliPeers = ['ts-morph', 'typescript'];

function version(): string {
  // dist/src/cli/main.js → the package's own package.json.
  const manifest: unknown = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
  return typeof manifest === 'object' && manifest !== null && 'version' in manifest ? String(manifest.version) : 'unknown';
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
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
    // ts-morph and the TypeScript it bundles take a second to load: only for real work, so
    // --help and usage errors answer at once.
    // Both need ts-morph, an optional peer dependency: a clear message when it is missing.
    if (command === 'check') return (await loadWithPeers(() => import('./check-command.js'), '`fearless check`', cliPeers)).runCheck(positionals, options, io);
    return (await loadWithPeers(() => import('./explain-command.js'), '`fearless explain`', cliPeers)).runExplain(positionals, options, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof MissingPeerError) {
      io.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

main(process.argv.slice(2), { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bug in the CLI, not in the user's program: keep the stack for the report.
    process.stderr.write(`fearless: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 3;
  },
);
