/**
 * What `npm run bench` writes besides its console output: ONE table of every comparison the
 * suites printed (what is measured, the figure, the baseline measured in the same run, the
 * target, and which suite run it comes from), between marker comments in README.md and in
 * docs/bench-latest.md, which also says on what machine each suite last ran.
 *
 * Pure functions of their arguments (no clock, no file system): bench/run.ts gathers the runs
 * and does the I/O, test/docs/bench-report.test.ts checks these on made-up results.
 *
 * A run of some suites (`node dist/bench/run.js channels`) replaces the rows of those suites
 * only; every row says its suite and date, so rows of different runs never pass for one run.
 */
import { formatNumber, type Row } from './lib.js';

/** One `printTable` call of a suite. */
export interface PrintedTable {
  readonly title: string;
  readonly rows: readonly Row[];
}

/** One suite's run: what it printed and where it ran. */
export interface SuiteRun {
  /** The suite's file name without extension (`channels`): the key a partial run replaces by. */
  readonly suite: string;
  /** When the suite finished. */
  readonly finished: Date;
  /** `node v20.20.2`, `bun 1.4.4`… */
  readonly runtime: string;
  readonly cores: number;
  /** `os.loadavg()` when the suite started and when it finished (1, 5 and 15 minutes). */
  readonly loadAtStart: readonly number[];
  readonly loadAtEnd: readonly number[];
  readonly tables: readonly PrintedTable[];
}

export const README_BLOCK = 'bench';
export const RUNS_BLOCK = 'bench-runs';

const TABLE_HEADER = ['| what is measured | figure | baseline in the same run | target | run |', '|---|---|---|---|---|'];
const RUNS_HEADER = ['| suite | finished (UTC) | runtime | machine |', '|---|---|---|---|'];

/**
 * A row's ratio against its baseline, as printTable prints it: this / baseline, or baseline /
 * this for a row whose smaller figure is the better one (`better: 'lower'`).
 */
export function ratioOf(row: Row, base: Row): number {
  return row.better === 'lower' ? base.value / row.value : row.value / base.value;
}

/** Text for a markdown table cell: pipes escaped, `<` escaped so `channel<number>` is not read as HTML. */
export function cell(text: string): string {
  return text.trim().replace(/\|/g, '\\|').replace(/</g, '\\<');
}

const day = (date: Date) => date.toISOString().slice(0, 10);
const load = (values: readonly number[]) => values.map((value) => value.toFixed(2)).join(' / ');

/** The table rows of one suite run: every row that has a baseline in its table or a target. */
export function comparisonRows(run: SuiteRun): string[] {
  const lines: string[] = [];
  for (const table of run.tables) {
    for (const row of table.rows) {
      const base = row.baseline === undefined ? undefined : table.rows.find((other) => other.name === row.baseline);
      if (base === undefined && row.target === undefined) continue;
      // A case that could not run (the peer package missing) prints NaN: not a figure to publish.
      if (!Number.isFinite(row.value) || (base !== undefined && !Number.isFinite(base.value))) continue;
      let figure = `${formatNumber(row.value)} ${row.unit}`.trim();
      let baseline = '—';
      if (base !== undefined) {
        const ratio = ratioOf(row, base).toFixed(2);
        figure += row.better === 'lower' ? `: the baseline ÷ this = **${ratio}×**` : `: **${ratio}×** the baseline`;
        baseline = `${base.name}: ${formatNumber(base.value)} ${base.unit}`.trim();
      }
      lines.push(`| ${cell(row.name)} | ${cell(figure)} | ${cell(baseline)} | ${cell(row.target ?? '')} | \`${run.suite}\` ${day(run.finished)} |`);
    }
  }
  return lines;
}

/** The row of docs/bench-latest.md's runs table for one suite run. */
export function runRow(run: SuiteRun): string {
  const finished = run.finished.toISOString().slice(0, 16).replace('T', ' ');
  const machine = `${run.cores} cores, load average ${load(run.loadAtStart)} at start, ${load(run.loadAtEnd)} at end`;
  return `| \`${run.suite}\` | ${finished} | ${cell(run.runtime)} | ${cell(machine)} |`;
}

/** The suite a generated row belongs to: the first `` `name` `` of its last cell (README table) or of its first (runs table). */
export function suiteOf(line: string): string | undefined {
  if (!line.startsWith('|') || line.startsWith('|---')) return undefined;
  const cells = line.split(/(?<!\\)\|/).slice(1, -1);
  for (const candidate of [cells.at(-1), cells[0]]) {
    const found = /^\s*`([\w.-]+)`/.exec(candidate ?? '');
    if (found !== null) return found[1];
  }
  return undefined;
}

/**
 * Rows of `existing` (the lines between the markers) whose suite did not run, plus the fresh
 * rows of the suites that did, grouped by suite in name order; `header` first.
 */
export function mergeRows(existing: readonly string[], fresh: ReadonlyMap<string, readonly string[]>, header: readonly string[]): string[] {
  const bySuite = new Map<string, string[]>();
  for (const line of existing) {
    const suite = suiteOf(line);
    if (suite === undefined || fresh.has(suite)) continue;
    bySuite.set(suite, [...(bySuite.get(suite) ?? []), line]);
  }
  for (const [suite, lines] of fresh) bySuite.set(suite, [...lines]);
  const suites = [...bySuite.keys()].sort();
  return [...header, ...suites.flatMap((suite) => bySuite.get(suite)!)];
}

const begin = (name: string) => `<!-- ${name}:begin -->`;
const end = (name: string) => `<!-- ${name}:end -->`;

/** The lines between `<!-- name:begin -->` and `<!-- name:end -->`, or undefined when the markers are missing. */
export function blockLines(document: string, name: string): string[] | undefined {
  const from = document.indexOf(begin(name));
  const to = document.indexOf(end(name), from);
  if (from < 0 || to < 0) return undefined;
  return document
    .slice(from + begin(name).length, to)
    .split('\n')
    .filter((line) => line.trim() !== '');
}

/**
 * `document` with the lines between the markers replaced by `lines`, every other byte kept.
 * Throws when the markers are missing (the caller says which file lacks them).
 */
export function replaceBlock(document: string, name: string, lines: readonly string[]): string {
  const from = document.indexOf(begin(name));
  const to = document.indexOf(end(name), from);
  if (from < 0 || to < 0) throw new Error(`no ${begin(name)} … ${end(name)} markers`);
  return `${document.slice(0, from + begin(name).length)}\n${lines.join('\n')}\n${document.slice(to)}`;
}

/** README.md (or docs/bench-latest.md) with the comparison table updated by these runs. */
export function updateTable(document: string, runs: readonly SuiteRun[]): string {
  const fresh = new Map(runs.map((run) => [run.suite, comparisonRows(run)] as const));
  return replaceBlock(document, README_BLOCK, mergeRows(blockLines(document, README_BLOCK) ?? [], fresh, TABLE_HEADER));
}

/** docs/bench-latest.md with its runs table and its comparison table updated; a new file when `document` is undefined. */
export function updateLatest(document: string | undefined, runs: readonly SuiteRun[]): string {
  const base =
    document ??
    [
      '# The latest `npm run bench`',
      '',
      'Written by `npm run bench` (bench/run.ts, bench/report.ts), as the Benchmarks table of the',
      'README is. A run of some suites (`node dist/bench/run.js channels`) replaces the rows of those',
      'suites only, so each row names its suite and date, and the table below says where each suite',
      'last ran. Compare ratios (a figure against the baseline measured in the same run), not',
      'absolute figures: those move with the machine and its load. Older runs and their history:',
      '[benchmarks.md](benchmarks.md).',
      '',
      '## Where each suite last ran',
      '',
      begin(RUNS_BLOCK),
      end(RUNS_BLOCK),
      '',
      '## Figures',
      '',
      begin(README_BLOCK),
      end(README_BLOCK),
      '',
    ].join('\n');
  const fresh = new Map(runs.map((run) => [run.suite, [runRow(run)]] as const));
  const withRuns = replaceBlock(base, RUNS_BLOCK, mergeRows(blockLines(base, RUNS_BLOCK) ?? [], fresh, RUNS_HEADER));
  return updateTable(withRuns, runs);
}
