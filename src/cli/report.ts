/**
 * How findings are printed: rustc's E0277 shape for people, a JSON array for tools.
 */
import { relative, sep } from 'node:path';
import { siteNotes, type Site, type SiteKind } from './sites.js';
import { stepJson, type Failure, type Step } from './verdict.js';

/** One site whose value is not Send, located for printing. */
export interface Finding {
  /** Relative to the working directory, with `/` separators. */
  readonly file: string;
  /** 1-based, like rustc and editors. */
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly kind: SiteKind;
  /** The type of the value that crosses. */
  readonly type: string;
  readonly reason: string;
  /** The part of `type` that is not Send (`type` itself when the chain is empty). */
  readonly offending: string;
  /** Innermost first. */
  readonly chain: readonly Step[];
  readonly note: string;
  /** The source line, for the snippet. */
  readonly lineText: string;
  /**
   * The site is on a line a `@ts-expect-error` directive covers: tsc says nothing there, yet
   * the value still cannot cross at run time. Said in the report, so it is not a surprise.
   */
  readonly underExpectError: boolean;
}

export function displayPath(fileName: string, cwd: string): string {
  const path = relative(cwd, fileName);
  return (path.startsWith('..') ? fileName : path).split(sep).join('/');
}

export function toFinding(site: Site, type: string, failure: Failure, cwd: string): Finding {
  const sourceFile = site.node.getSourceFile();
  const start = sourceFile.getLineAndCharacterOfPosition(site.node.getStart(sourceFile));
  const end = sourceFile.getLineAndCharacterOfPosition(site.node.getEnd());
  const lineStarts = sourceFile.getLineStarts();
  const lineText = sourceFile.text.slice(lineStarts[start.line], lineStarts[start.line + 1] ?? sourceFile.text.length);
  return {
    file: displayPath(sourceFile.fileName, cwd),
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
    kind: site.kind,
    type,
    reason: failure.reason,
    offending: failure.offending,
    chain: failure.chain,
    note: siteNotes[site.kind],
    lineText: lineText.replace(/\r?\n$/, ''),
    underExpectError: coveredByExpectError(sourceFile.text, lineStarts, start.line),
  };
}

/**
 * Whether a `// @ts-expect-error` (or `/* @ts-expect-error *\/`) covers `line` (0-based): it
 * stands on one of the comment-only lines right above it, as tsc reads the directive.
 */
function coveredByExpectError(text: string, lineStarts: readonly number[], line: number): boolean {
  for (let above = line - 1; above >= 0; above--) {
    const content = text.slice(lineStarts[above], lineStarts[above + 1] ?? text.length).trim();
    if (/^(?:\/\/|\/\*)\s*@ts-expect-error\b/.test(content)) return true;
    if (!content.startsWith('//') && !content.startsWith('/*') && !content.startsWith('*')) return false;
  }
  return false;
}

/** `= note: required because it appears within the type ...`, innermost first, as rustc does. */
export function chainNotes(failure: Pick<Failure, 'reason' | 'offending' | 'chain'>, trait: 'Send' | 'Sync' = 'Send'): string[] {
  const notes = [`= note: ${failure.reason}`];
  for (const step of failure.chain) {
    notes.push(`= note: required because it appears within the type \`${step.within}\`, ${step.via}`);
  }
  const outermost = failure.chain[failure.chain.length - 1];
  if (outermost !== undefined) notes.push(`= help: within \`${outermost.within}\`, \`${failure.offending}\` is the part that is not ${trait}`);
  return notes;
}

/** Tabs would shift the caret line; both lines use the same expansion. */
const expandTabs = (text: string): string => text.replace(/\t/g, '    ');

export function formatFinding(finding: Finding): string {
  const gutter = String(finding.line).length;
  const pad = ' '.repeat(gutter);
  const text = expandTabs(finding.lineText);
  const before = expandTabs(finding.lineText.slice(0, finding.column - 1)).length;
  const lastColumn = finding.endLine === finding.line ? expandTabs(finding.lineText.slice(0, finding.endColumn - 1)).length : text.trimEnd().length;
  const carets = '^'.repeat(Math.max(1, lastColumn - before));
  const lines = [
    `error[E0277]: \`${finding.type}\` cannot be sent to another thread`,
    `${pad}--> ${finding.file}:${finding.line}:${finding.column}`,
    `${pad} |`,
    `${finding.line} | ${text}`.trimEnd(),
    `${pad} | ${' '.repeat(before)}${carets} \`${finding.type}\` is not Send`,
    `${pad} |`,
    ...[
      ...chainNotes(finding),
      `= note: ${finding.note}`,
      ...(finding.underExpectError ? ['= note: this line is under @ts-expect-error, so tsc reports nothing here; the value still cannot cross at run time'] : []),
    ].map((note) => `${pad} ${note}`),
  ];
  return lines.join('\n');
}

/** The JSON shape documented in docs/cli.md: stable keys, no source text. */
export function findingJson(finding: Finding): object {
  const { lineText: _lineText, ...fields } = finding;
  return { ...fields, chain: fields.chain.map(stepJson) };
}

export function summary(sites: number, findings: number): string {
  return `${sites} site${sites === 1 ? '' : 's'} checked, ${findings} not Send`;
}
