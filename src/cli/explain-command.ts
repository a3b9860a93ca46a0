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
  const declarations = typeDeclarations(sourceFile);
  const declaration = declarations.get(typeName);
  if (declaration === undefined) {
    const near = nearNames(typeName, [...declarations.keys()]);
    const hint = near.length > 0 ? `; did you mean ${near.map((name) => `\`${name}\``).join(' or ')}?` : '';
    const known = declarations.size > 0 ? ` (types declared there: ${[...declarations.keys()].join(', ')})` : ' (it declares no types)';
    throw new UsageError(`no type named \`${typeName}\` in ${displayPath(fileName, io.cwd)}${hint}${known}`);
  }
  const symbol = project.checker.getSymbolAtLocation(declaration.name);
  if (symbol === undefined) throw new UsageError(`the checker knows no symbol for \`${typeName}\``);
  const type = project.checker.getDeclaredTypeOfSymbol(symbol);
  const send = project.send.verdict(type);
  const sync = project.sync.verdict(type);
  const start = sourceFile.getLineAndCharacterOfPosition(declaration.name.getStart(sourceFile));
  const location = `${displayPath(fileName, io.cwd)}:${start.line + 1}:${start.character + 1}`;
  if (options.format === 'json') {
    io.stdout.write(`${JSON.stringify({ type: typeName, location, send: verdictJson(send), sync: verdictJson(sync) }, null, 2)}\n`);
  } else {
    io.stdout.write(`${explainVerdict(typeName, 'Send', send, location)}\n${explainVerdict(typeName, 'Sync', sync)}\n`);
  }
  return 0;
}

type TypeDeclaration = ts.InterfaceDeclaration | ts.TypeAliasDeclaration | ts.ClassDeclaration | ts.EnumDeclaration;

/** The types a file declares at its top level, exported or not, by name. */
function typeDeclarations(sourceFile: ts.SourceFile): Map<string, TypeDeclaration & { name: ts.Identifier }> {
  const found = new Map<string, TypeDeclaration & { name: ts.Identifier }>();
  for (const statement of sourceFile.statements) {
    if (
      (ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isEnumDeclaration(statement)) &&
      statement.name !== undefined &&
      !found.has(statement.name.text)
    ) {
      found.set(statement.name.text, statement as TypeDeclaration & { name: ts.Identifier });
    }
  }
  return found;
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
