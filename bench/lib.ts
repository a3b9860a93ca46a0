/**
 * Benchmark helpers. Every figure is a median over repeated runs, and every result is printed
 * next to a baseline measured in the same process and the same run (raw postMessage, raw
 * Atomics...), because the machine is shared and noisy: ratios travel, absolute numbers do not.
 */

export interface Sample {
  /** Operations per second for each repetition. */
  readonly opsPerSecond: number[];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Runs `body` (which performs `operations` operations) `repetitions` times after `warmup` runs
 * and returns the median operations per second.
 */
export async function opsPerSecond(
  operations: number,
  body: () => unknown,
  { repetitions = 7, warmup = 2 }: { repetitions?: number; warmup?: number } = {},
): Promise<number> {
  for (let index = 0; index < warmup; index++) await body();
  const rates: number[] = [];
  for (let index = 0; index < repetitions; index++) {
    const start = process.hrtime.bigint();
    await body();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    rates.push(operations / seconds);
  }
  return median(rates);
}

export interface Row {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** Name of the baseline row this one is compared with (same table). */
  readonly baseline?: string;
  /** `higher` when a larger value is better (throughput), `lower` for latencies. */
  readonly better?: 'higher' | 'lower';
  /** A target ratio from the issue, printed next to the measured one. */
  readonly target?: string;
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)} M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)} k`;
  return value.toFixed(value < 10 ? 2 : 1);
}

/**
 * Every table printed in this process, in order: bench/run.ts turns a suite's tables into the
 * README's Benchmarks table (bench/report.ts).
 */
export const printedTables: { readonly title: string; readonly rows: readonly Row[] }[] = [];

/** Prints a table; a row with a baseline gets `ratio` = row / baseline (or baseline / row for latencies). */
export function printTable(title: string, rows: readonly Row[]): void {
  printedTables.push({ title, rows: [...rows] });
  console.log(`\n## ${title}\n`);
  console.log('| case | median | ratio vs baseline | target |');
  console.log('|---|---|---|---|');
  for (const row of rows) {
    const base = row.baseline === undefined ? undefined : rows.find((other) => other.name === row.baseline);
    let ratio = '';
    if (base !== undefined) {
      const value = row.better === 'lower' ? base.value / row.value : row.value / base.value;
      ratio = `${value.toFixed(2)}× ${row.better === 'lower' ? '(baseline time / this time)' : `of ${base.name}`}`;
    }
    console.log(`| ${row.name} | ${formatNumber(row.value)} ${row.unit} | ${ratio} | ${row.target ?? ''} |`);
  }
}
