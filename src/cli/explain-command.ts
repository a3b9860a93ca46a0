/**
 * `fearless explain <file>:<TypeName>`: is this type Send? Sync? If not, which part and why.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ts } from 'ts-morph';
import type { Options } from './args.js';
import type { Io } from './check-command.js';
import { findTsconfigAbove, loadProject, locateTsconfig } from './project.js';
import { chainNotes, displayPath } from './report.js';
import { nearNames } from './near-names.js';
import { UsageError } from './usage-error.js';
import type { Verdict } from './verdict.js';

export function runExplain(positionals: readonly string[], options: Options, io: Io): number {
  const target = positionals[0];
  if (target === undefined || positionals.length > 1) {
    throw new UsageError('`fearless explain` takes one argument, `<file>:<TypeName>` (e.g. `src/jobs.ts:Job`)');
  }
  const separator = target.lastIndexOf(':');
  const typeName = target.slice(separator + 1);
  if (separator <= 0 || typeName === '') {
    throw new UsageError(`\`${target}\` is not \`<file>:<TypeName>\` (e.g. \`src/jobs.ts:Job\`)`);
  }
  const fileName = resolve(io.cwd, target.slice(0, separator));
  if (!existsSync(fileName)) throw new UsageError(`file not found: ${fileName}`);
  const tsconfig =
    options.project === undefined ? findTsconfigAbove(dirname(fileName)) : locateTsconfig(options.project, io.cwd);
  if (tsconfig === undefined) {
    throw new UsageError(`no tsconfig.json found above ${fileName} (pass one with \`--project path/to/tsconfig.json\`)`);
  }
  const project = loadProject(tsconfig);
  const sourceFile = project.program.getSourceFile(fileName);
  if (sourceFile === undefined) {
    throw new UsageError(`${displayPath(fileName, io.cwd)} is not part of the project ${tsconfig} (see its \`include\` and \`files\`)`);
  }
  const types = namedTypes(project.checker, sourceFile);
  const symbol = types.get(typeName);
  if (symbol === undefined) {
    const names = [...types.keys()];
    const near = nearNames(typeName, names);
    const hint = near.length > 0 ? `; did you mean ${near.map((name) => `\`${name}\``).join(' or ')}?` : '';
    const known = names.length > 0 ? ` (types declared there: ${names.join(', ')})` : ' (it declares no types)';
    throw new UsageError(`no type named \`${typeName}\` in ${displayPath(fileName, io.cwd)}${hint}${known}`);
  }
  const type = project.checker.getDeclaredTypeOfSymbol(symbol);
  const send = project.send.verdict(type);
  const sync = project.sync.verdict(type);
  const location = declarationLocation(symbol, io.cwd);
  if (options.format === 'json') {
    io.stdout.write(`${JSON.stringify({ type: typeName, location, send: verdictJson(send), sync: verdictJson(sync) }, null, 2)}\n`);
  } else {
    io.stdout.write(`${explainVerdict(typeName, 'Send', send, location)}\n${explainVerdict(typeName, 'Sync', sync)}\n`);
  }
  return 0;
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
    : { ok: false, reason: verdict.reason, offending: verdict.offending, chain: verdict.chain };
}
