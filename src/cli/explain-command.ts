/**
 * `fearless explain <file>:<TypeName>...`: is this type Send? Sync? If not, which part and why.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ts } from 'ts-morph';
import type { Options } from './args.js';
import type { Io } from './check-command.js';
import { findTsconfigAbove, loadProject, locateTsconfig, type LoadedProject } from './project.js';
import { chainNotes, displayPath } from './report.js';
import { nearNames } from './near-names.js';
import { UsageError } from './usage-error.js';
import { stepJson, type Verdict } from './verdict.js';

interface Target {
  readonly fileName: string;
  readonly typeName: string;
}

/** `src/jobs.ts:Job` → the file (absolute, checked to exist) and the type's name. */
function parseTarget(target: string, cwd: string): Target {
  const separator = target.lastIndexOf(':');
  const typeName = target.slice(separator + 1);
  if (separator <= 0 || typeName === '') {
    throw new UsageError(`\`${target}\` is not \`<file>:<TypeName>\` (e.g. \`src/jobs.ts:Job\`)`);
  }
  const fileName = resolve(cwd, target.slice(0, separator));
  if (!existsSync(fileName)) throw new UsageError(`file not found: ${fileName}`);
  return { fileName, typeName };
}

/** Explains each target, all from one project (loading it is most of the time). */
export function runExplain(positionals: readonly string[], options: Options, io: Io): number {
  if (positionals.length === 0) {
    throw new UsageError('`fearless explain` needs a `<file>:<TypeName>` (e.g. `src/jobs.ts:Job`)');
  }
  const targets = positionals.map((target) => parseTarget(target, io.cwd));
  const first = targets[0]?.fileName ?? io.cwd;
  const tsconfig = options.project === undefined ? findTsconfigAbove(dirname(first)) : locateTsconfig(options.project, io.cwd);
  if (tsconfig === undefined) {
    throw new UsageError(`no tsconfig.json found above ${first} (pass one with \`--project path/to/tsconfig.json\`)`);
  }
  const project = loadProject(tsconfig);
  const explained = targets.map(({ fileName, typeName }) => {
    const symbol = findType(project, fileName, typeName, tsconfig, io.cwd);
    const type = project.checker.getDeclaredTypeOfSymbol(symbol);
    return {
      type: typeName,
      location: declarationLocation(symbol, io.cwd),
      send: project.send.verdict(type),
      sync: project.sync.verdict(type),
    };
  });
  if (options.format === 'json') {
    const json = explained.map(({ send, sync, ...where }) => ({ ...where, send: verdictJson(send), sync: verdictJson(sync) }));
    io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    const blocks = explained.map(
      ({ type, location, send, sync }) => `${explainVerdict(type, 'Send', send, location)}\n${explainVerdict(type, 'Sync', sync)}\n`,
    );
    io.stdout.write(blocks.join('\n'));
  }
  return 0;
}

function findType(project: LoadedProject, fileName: string, typeName: string, tsconfig: string, cwd: string): ts.Symbol {
  const sourceFile = project.program.getSourceFile(fileName);
  if (sourceFile === undefined) {
    throw new UsageError(`${displayPath(fileName, cwd)} is not part of the project ${tsconfig} (see its \`include\` and \`files\`)`);
  }
  const types = namedTypes(project.checker, sourceFile);
  const symbol = types.get(typeName);
  if (symbol !== undefined) return symbol;
  const names = [...types.keys()];
  const near = nearNames(typeName, names);
  const hint = near.length > 0 ? `; did you mean ${near.map((name) => `\`${name}\``).join(' or ')}?` : '';
  const known = names.length > 0 ? ` (types declared there: ${names.join(', ')})` : ' (it declares no types)';
  throw new UsageError(`no type named \`${typeName}\` in ${displayPath(fileName, cwd)}${hint}${known}`);
}

const typeFlags = ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Class | ts.SymbolFlags.Enum;

/**
 * The types a file declares at its top level (exported or not), then those it re-exports
 * (`export { Job } from './jobs.js'`), by name, in source order.
 */
function namedTypes(checker: ts.TypeChecker, sourceFile: ts.SourceFile): Map<string, ts.Symbol> {
  const found = new Map<string, ts.Symbol>();
  for (const statement of sourceFile.statements) {
    const isType =
      ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement) ||
      ts.isClassDeclaration(statement) ||
      ts.isEnumDeclaration(statement);
    const symbol = isType && statement.name !== undefined ? checker.getSymbolAtLocation(statement.name) : undefined;
    if (symbol !== undefined && !found.has(symbol.name)) found.set(symbol.name, symbol);
  }
  const moduleSymbol = checker.getSymbolAtLocation(sourceFile);
  for (const exported of moduleSymbol === undefined ? [] : checker.getExportsOfModule(moduleSymbol)) {
    const target = (exported.flags & ts.SymbolFlags.Alias) !== 0 ? checker.getAliasedSymbol(exported) : exported;
    if ((target.flags & typeFlags) !== 0 && !found.has(exported.name)) found.set(exported.name, target);
  }
  return found;
}

/** `file:line:column` of where the type is declared (another file, for a re-export). */
function declarationLocation(symbol: ts.Symbol, cwd: string): string {
  const declaration = symbol.declarations?.[0];
  if (declaration === undefined) return '(no declaration)';
  const sourceFile = declaration.getSourceFile();
  const name = ts.getNameOfDeclaration(declaration) ?? declaration;
  const start = sourceFile.getLineAndCharacterOfPosition(name.getStart(sourceFile));
  return `${displayPath(sourceFile.fileName, cwd)}:${start.line + 1}:${start.character + 1}`;
}

/** `Job` is Send: ... / `Job` is not Send, with rustc's notes under it. */
function explainVerdict(typeName: string, trait: 'Send' | 'Sync', verdict: Verdict, location?: string): string {
  const lines = [verdict.ok ? `\`${typeName}\` is ${trait}: ${verdict.why}` : `\`${typeName}\` is not ${trait}`];
  if (location !== undefined) lines.push(`  --> ${location}`);
  if (!verdict.ok) lines.push(...chainNotes(verdict, trait).map((note) => `   ${note}`));
  return lines.join('\n');
}

function verdictJson(verdict: Verdict): object {
  return verdict.ok
    ? { ok: true, why: verdict.why }
    : { ok: false, reason: verdict.reason, offending: verdict.offending, chain: verdict.chain.map(stepJson) };
}
