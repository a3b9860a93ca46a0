/**
 * Loading the user's program: a ts-morph project from their tsconfig, with the checker and the
 * pieces every command needs.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Project, ts } from 'ts-morph';
import { FearlessPackage } from './fearless-package.js';
import { SendCheck } from './send-check.js';
import { SiteFinder } from './sites.js';
import { SyncCheck } from './sync-check.js';
import { UsageError } from './usage-error.js';
import { TypeReader } from './verdict.js';

export interface LoadedProject {
  readonly tsconfig: string;
  readonly program: ts.Program;
  readonly checker: ts.TypeChecker;
  readonly fearless: FearlessPackage;
  /** How the analyses read this program's types. */
  readonly reader: TypeReader;
  readonly send: SendCheck;
  /** The check for a Mutex's, RwLock's or Arc's value: Send, and no Send-only handle inside. */
  readonly lock: SendCheck;
  readonly sync: SyncCheck;
  readonly sites: SiteFinder;
  /** The user's own files: what tsconfig includes, without declaration files and packages. */
  readonly files: readonly ts.SourceFile[];
}

/** `path` as given (a tsconfig file or a directory holding one), made absolute and checked. */
export function locateTsconfig(path: string, cwd: string): string {
  const absolute = resolve(cwd, path);
  const candidate = existsSync(absolute) && statSync(absolute).isDirectory() ? join(absolute, 'tsconfig.json') : absolute;
  if (!existsSync(candidate)) {
    throw new UsageError(`tsconfig not found: ${candidate} (pass the path of a tsconfig.json, e.g. \`fearless check path/to/tsconfig.json\`)`);
  }
  return candidate;
}

/** The nearest tsconfig.json at or above `directory`. */
export function findTsconfigAbove(directory: string): string | undefined {
  return ts.findConfigFile(directory, (file) => existsSync(file));
}

export function loadProject(tsconfig: string): LoadedProject {
  let project: Project;
  try {
    project = new Project({ tsConfigFilePath: tsconfig });
  } catch (error) {
    throw new UsageError(`cannot load ${tsconfig}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const configErrors = project.getConfigFileParsingDiagnostics().filter((d) => d.getCategory() === ts.DiagnosticCategory.Error);
  const firstError = configErrors[0];
  if (firstError !== undefined) {
    const message = ts.flattenDiagnosticMessageText(firstError.compilerObject.messageText, '\n');
    throw new UsageError(`${tsconfig} is not a valid tsconfig: ${message}`);
  }
  const program = project.getProgram().compilerObject;
  const checker = program.getTypeChecker();
  const reader = new TypeReader(ts, checker, program);
  const fearless = new FearlessPackage(ts, checker);
  const files = program
    .getSourceFiles()
    .filter(
      (file) =>
        !file.isDeclarationFile &&
        !program.isSourceFileFromExternalLibrary(file) &&
        !file.fileName.includes('/node_modules/') &&
        !fearless.isApiFile(file.fileName),
    );
  return {
    tsconfig,
    program,
    checker,
    fearless,
    reader,
    send: new SendCheck(reader, fearless),
    lock: new SendCheck(reader, fearless, 'lock'),
    sync: new SyncCheck(reader, fearless),
    sites: new SiteFinder(checker, fearless, reader),
    files,
  };
}
