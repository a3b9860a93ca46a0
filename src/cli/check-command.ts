/**
 * `fearless check [tsconfig]`: every site of the program that hands a value to another thread,
 * reported when the value is not Send. Exit code 1 when any is found.
 */
import type { Options } from './args.js';
import { Progress } from './progress.js';
import { UsageError } from './usage-error.js';
import { loadProject, locateTsconfig } from './project.js';
import { displayPath, findingJson, formatFinding, summary, toFinding, type Finding } from './report.js';
import type { LoadedProject } from './project.js';
import { ts } from 'ts-morph';
import { packageName } from './fearless-package.js';

export interface Io {
  readonly cwd: string;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

export function runCheck(positionals: readonly string[], options: Options, io: Io): number {
  if (positionals.length > 1) {
    throw new UsageError(`\`fearless check\` takes one tsconfig, not ${positionals.length} (${positionals.join(', ')}); run it once per project`);
  }
  const tsconfig = locateTsconfig(positionals[0] ?? 'tsconfig.json', io.cwd);
  const progress = Progress.for(io.stderr, options.progress);
  progress.loading(displayPath(tsconfig, io.cwd));
  const project = loadProject(tsconfig);
  progress.start(project.files.length);
  const findings: Finding[] = [];
  const unresolved: string[] = [];
  let siteCount = 0;
  for (const [index, file] of project.files.entries()) {
    if (importsUnresolvedPackage(project, file)) unresolved.push(displayPath(file.fileName, io.cwd));
    for (const site of project.sites.find(file)) {
      siteCount++;
      const locked = site.kind === 'mutex' || site.kind === 'rwlock' || site.kind === 'arc';
      const verdict = (locked ? project.lock : project.send).verdict(site.type);
      if (!verdict.ok) findings.push(toFinding(site, siteTypeName(project, site.type), verdict, io.cwd));
    }
    progress.update(index + 1);
  }
  if (options.format === 'json') {
    io.stdout.write(`${JSON.stringify(findings.map(findingJson), null, 2)}\n`);
    io.stderr.write(`${summary(siteCount, findings.length)}\n`);
  } else {
    for (const finding of findings) io.stdout.write(`${formatFinding(finding)}\n\n`);
    io.stdout.write(`${summary(siteCount, findings.length)}\n`);
  }
  if (unresolved.length > 0) {
    // Unresolved, the API is `any` to the checker and no site would ever be found: a CI gate
    // that passes because the package was not built is worse than one that fails.
    io.stderr.write(
      `error: \`${packageName}\` cannot be resolved from ${unresolved.join(', ')}, so its sites there cannot be checked ` +
        `(install or build the package, or map it with \`paths\` in ${displayPath(tsconfig, io.cwd)})\n`,
    );
    return 2;
  }
  return findings.length > 0 ? 1 : 0;
}

/** True when `file` imports `fearless` (or a subpath) and the import does not resolve. */
function importsUnresolvedPackage(project: LoadedProject, file: ts.SourceFile): boolean {
  return file.statements.some((statement) => {
    if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) return false;
    const specifier = statement.moduleSpecifier;
    if (specifier === undefined || !ts.isStringLiteral(specifier)) return false;
    if (specifier.text !== packageName && !specifier.text.startsWith(`${packageName}/`)) return false;
    return project.checker.getSymbolAtLocation(specifier) === undefined;
  });
}

/**
 * The site's type as the user wrote it. When a call failed the real package's Send bound, the
 * checker hands out the marker types' own instances (`SendObject<Job>`, `Unsendable<...>`):
 * name the type they were made from instead.
 */
function siteTypeName(project: LoadedProject, type: ts.Type): string {
  const subject = project.fearless.markerSubject(type) ?? type;
  const verdict = project.send.verdict(subject);
  return !verdict.ok && verdict.chain.length === 0 ? verdict.offending : project.reader.displayType(subject);
}
