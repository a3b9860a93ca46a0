import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockLines, cell, comparisonRows, replaceBlock, suiteOf, updateLatest, updateTable, type SuiteRun } from '../../dist/bench/report.js';

// The README's Benchmarks table is written by `npm run bench` (bench/run.ts → bench/report.ts).
// These are made-up results: the real suites never run in the test suite.
const finished = new Date('2026-12-06T22:40:00Z');
const machine = { finished, runtime: 'node v20.20.2', cores: 2, loadAtStart: [0.18, 0.09, 0.03], loadAtEnd: [1.5, 0.5, 0.25] };

const channels: SuiteRun = {
  suite: 'channels',
  ...machine,
  tables: [
    {
      title: 'channels: worker → main throughput',
      rows: [
        { name: 'postMessage number', value: 600_000, unit: 'msg/s', better: 'higher' },
        { name: 'fearless channel<number>', value: 5_000_000, unit: 'msg/s', baseline: 'postMessage number', better: 'higher', target: '≥ 10×' },
        // The peer package missing: its row reads NaN and is left out.
        { name: 'multithreading channel number', value: Number.NaN, unit: 'msg/s', baseline: 'postMessage number', better: 'higher' },
      ],
    },
  ],
};

const sync: SuiteRun = {
  suite: 'sync',
  ...machine,
  tables: [
    {
      title: 'shared state',
      rows: [
        { name: 'uncontended: Mutex lockSync+dispose', value: 25_000_000, unit: 'ops/s' },
        // Smaller is better for this one: the ratio is baseline ÷ this (how many times faster fearless is).
        { name: 'uncontended: multithreading | lock', value: 700_000, unit: 'ops/s', baseline: 'uncontended: Mutex lockSync+dispose', better: 'lower' },
        // A row with a target and no baseline is published; one with neither is not.
        { name: 'parked workers', value: 4.9, unit: 'ms CPU', target: 'under 20 ms' },
        { name: 'a baseline only', value: 1, unit: 'ops/s' },
      ],
    },
  ],
};

const channelRows = [
  '| fearless channel\\<number> | 5.00 M msg/s: **8.33×** the baseline | postMessage number: 600.0 k msg/s | ≥ 10× | `channels` 2026-12-06 |',
];
const syncRows = [
  '| uncontended: multithreading \\| lock | 700.0 k ops/s: the baseline ÷ this = **35.71×** | uncontended: Mutex lockSync+dispose: 25.00 M ops/s |  | `sync` 2026-12-06 |',
  '| parked workers | 4.90 ms CPU | — | under 20 ms | `sync` 2026-12-06 |',
];

describe('the bench table generator', () => {
  it('gives one row per comparison: figure and ratio, the same-run baseline, the target, the suite and date', () => {
    expect(comparisonRows(channels)).toEqual(channelRows);
    expect(comparisonRows(sync)).toEqual(syncRows);
    expect(channelRows.concat(syncRows).map(suiteOf)).toEqual(['channels', 'sync', 'sync']);
  });

  it('escapes what would break a table cell or read as HTML', () => {
    expect(cell(' a | b <c> ')).toBe('a \\| b \\<c>');
  });

  const readme = readFileSync(path.join(process.cwd(), 'README.md'), 'utf8');
  const markers = (text: string) => [text.indexOf('<!-- bench:begin -->'), text.indexOf('<!-- bench:end -->')];

  it('replaces the README block only, every other byte kept', () => {
    const [from, to] = markers(readme);
    expect(from).toBeGreaterThan(0);
    const updated = updateTable(readme, [channels]);
    const [newFrom, newTo] = markers(updated);
    expect(updated.slice(0, newFrom)).toBe(readme.slice(0, from));
    expect(updated.slice(newTo)).toBe(readme.slice(to));
    expect(updated).toContain(channelRows[0]);
  });

  it('a partial run replaces its own suites rows and keeps the others', () => {
    const current = blockLines(readme, 'bench')!;
    const others = current.filter((line) => suiteOf(line) !== undefined && suiteOf(line) !== 'channels');
    expect(others.length).toBeGreaterThan(0);
    const withChannels = blockLines(updateTable(readme, [channels]), 'bench')!;
    expect(withChannels.filter((line) => suiteOf(line) === 'channels')).toEqual(channelRows);
    expect(withChannels.filter((line) => suiteOf(line) !== undefined && suiteOf(line) !== 'channels')).toEqual(others);

    const both = updateTable(updateTable(replaceBlock(readme, 'bench', []), [channels]), [sync]);
    expect(blockLines(both, 'bench')!.slice(2)).toEqual([...channelRows, ...syncRows]);
    // channels again, with another figure: its row changes, sync's stay.
    const again: SuiteRun = { ...channels, tables: [{ ...channels.tables[0]!, rows: channels.tables[0]!.rows.map((row) => (row.name === 'fearless channel<number>' ? { ...row, value: 6_000_000 } : row)) }] };
    const rows = blockLines(updateTable(both, [again]), 'bench')!.slice(2);
    expect(rows[0]).toContain('6.00 M msg/s: **10.00×**');
    expect(rows.slice(1)).toEqual(syncRows);
    // The same run twice gives the same file.
    expect(updateTable(both, [sync])).toBe(both);
  });

  it('refuses a file without the markers rather than appending somewhere', () => {
    expect(() => replaceBlock('# no markers\n', 'bench', ['x'])).toThrow('<!-- bench:begin -->');
  });

  it('docs/bench-latest.md says where each suite ran: date, runtime, cores, load average', () => {
    const latest = updateLatest(undefined, [channels]);
    expect(blockLines(latest, 'bench-runs')).toEqual([
      '| suite | finished (UTC) | runtime | machine |',
      '|---|---|---|---|',
      '| `channels` | 2026-12-06 22:40 | node v20.20.2 | 2 cores, load average 0.18 / 0.09 / 0.03 at start, 1.50 / 0.50 / 0.25 at end |',
    ]);
    expect(blockLines(latest, 'bench')!.slice(2)).toEqual(channelRows);
    const later = updateLatest(latest, [{ ...sync, finished: new Date('2026-12-07T01:00:00Z') }]);
    expect(blockLines(later, 'bench-runs')!.slice(2).map(suiteOf)).toEqual(['channels', 'sync']);
    expect(blockLines(later, 'bench-runs')![3]).toContain('2026-12-07 01:00');
  });
});
