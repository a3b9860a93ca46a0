/**
 * Command-line parsing: `fearless <command> [positionals] [--flags]`. Small and strict: an
 * unknown flag or a missing value is an error, never ignored.
 */
import { UsageError } from './usage-error.js';

export type Format = 'text' | 'json';

export interface Options {
  readonly format: Format;
  readonly progress: boolean | undefined;
  readonly project: string | undefined;
  readonly help: boolean;
}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly options: Options;
}

/** Which flags each command takes. */
const flagsOf = {
  check: ['--format', '--progress', '--no-progress', '--help'],
  explain: ['--format', '--project', '--help'],
} as const;

export type Command = keyof typeof flagsOf;

export function isCommand(name: string): name is Command {
  return Object.hasOwn(flagsOf, name);
}

export function parseArgs(command: Command, argv: readonly string[]): ParsedArgs {
  const allowed: readonly string[] = flagsOf[command];
  const positionals: string[] = [];
  let format: Format = 'text';
  let progress: boolean | undefined;
  let project: string | undefined;
  let help = false;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] ?? '';
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const [flag = '', inlineValue] = arg.startsWith('--') ? splitOnce(arg, '=') : [expandShort(arg), undefined];
    if (!allowed.includes(flag)) {
      throw new UsageError(`unknown option \`${arg}\` for \`fearless ${command}\` (see \`fearless ${command} --help\`)`);
    }
    const value = (): string => {
      const next = inlineValue ?? argv[++index];
      if (next === undefined || next === '') throw new UsageError(`option \`${flag}\` needs a value`);
      return next;
    };
    if (flag === '--format') {
      const chosen = value();
      if (chosen !== 'text' && chosen !== 'json') {
        throw new UsageError(`\`--format\` must be \`text\` or \`json\`, not \`${chosen}\``);
      }
      format = chosen;
    } else if (flag === '--project') {
      project = value();
    } else if (flag === '--progress' || flag === '--no-progress') {
      progress = flag === '--progress';
    } else {
      help = true;
    }
  }
  return { positionals, options: { format, progress, project, help } };
}

function splitOnce(arg: string, separator: string): [string, string | undefined] {
  const at = arg.indexOf(separator);
  return at < 0 ? [arg, undefined] : [arg.slice(0, at), arg.slice(at + 1)];
}

function expandShort(arg: string): string {
  if (arg === '-h') return '--help';
  if (arg === '-p') return '--project';
  return arg;
}

export const usage = {
  main: `fearless: Send/Sync checks for programs that use fearless

Usage:
  fearless check [tsconfig] [--format text|json] [--progress]
  fearless explain <file>:<TypeName>... [--project tsconfig] [--format text|json]
  fearless --help | --version

Commands:
  check     report every spawn/move/send/channel/Mutex/RwLock/Arc site whose value is not Send
  explain   say whether a type is Send and Sync, and why

Exit codes: 0 clean, 1 a site is not Send (check), 2 bad usage or configuration.`,
  check: `Usage: fearless check [tsconfig] [--format text|json] [--progress | --no-progress]

Loads the project (default ./tsconfig.json; a directory means its tsconfig.json) and reports,
in rustc's shape, every site that hands a value to another thread when the value is not Send.

  --format json    print a JSON array of findings on stdout (the summary goes to stderr)
  --progress       print "checked N/M files" on stderr even when it is not a terminal
  --no-progress    never print progress

Exit codes: 0 every site is Send, 1 at least one is not, 2 bad usage or configuration.`,
  explain: `Usage: fearless explain <file>:<TypeName>... [--project tsconfig] [--format text|json]

Says whether the interface, type alias, class or enum <TypeName> declared (or re-exported) in
<file> is Send and Sync, and if not, which part is not and why. Several targets are explained
from one load of the project: --project, or else the nearest tsconfig.json above the first file.

  --format json    print a JSON array, one { type, location, send, sync } per target

Exit codes: 0 explained, 2 bad usage, unknown file or type.`,
} as const;
