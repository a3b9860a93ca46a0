/**
 * Run settings of the property-based tests: in `npm test` a fixed seed and few runs (a bounded,
 * repeatable check); `npm run fuzz` sets FEARLESS_FUZZ_RUNS (and a random seed unless
 * FEARLESS_FUZZ_SEED is given) for long runs.
 */
const fuzzRuns = Number(process.env['FEARLESS_FUZZ_RUNS'] ?? 0);
const fuzzSeed = process.env['FEARLESS_FUZZ_SEED'];

export const fuzzing = fuzzRuns > 0;

export function runs(bounded: number): { numRuns: number; seed: number; endOnFailure: boolean } {
  const seed = fuzzing ? (fuzzSeed === undefined ? Date.now() % 2 ** 31 : Number(fuzzSeed)) : 20261127;
  return { numRuns: fuzzing ? fuzzRuns : bounded, seed, endOnFailure: true };
}

/** Long runs need more than the default test timeout. */
export const timeout = fuzzing ? 24 * 60 * 60 * 1000 : 60_000;
