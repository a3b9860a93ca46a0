/**
 * Fork-join: process a folder of text files in parallel (load → process → save) with
 * `ThreadPool.map`, and the same work as a sequential loop, and print both times.
 *
 *   npm run example -- fork-join
 */
import { availableParallelism } from 'node:os';
import { rm } from 'node:fs/promises';
import { ThreadPool } from 'fearless';
import { makeCorpus, sizeFromEnv } from './corpus.js';

/**
 * The per-file job. It is a module-level function that captures nothing, so the same code runs
 * on the main thread (sequential loop) and in a worker (the pool serialises its source); what it
 * needs it imports itself.
 */
export async function processFile(file: string): Promise<{ file: string; words: number; distinct: number; top: string }> {
  const { readFile, writeFile } = await import('node:fs/promises');
  const text = await readFile(file, 'utf8');
  const counts = new Map<string, number>();
  let words = 0;
  for (const word of text.split(/\s+/)) {
    if (word === '') continue;
    words++;
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  // Rank the vocabulary by frequency, then by bigram overlap with the top word: deliberately
  // CPU-bound so that the parallel speed-up is visible.
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const top = ranked[0]?.[0] ?? '';
  const bigrams = (word: string) => new Set(Array.from({ length: Math.max(0, word.length - 1) }, (_, index) => word.slice(index, index + 2)));
  const topBigrams = bigrams(top);
  let similarity = 0;
  for (let round = 0; round < 5; round++) {
    for (const [word] of ranked) {
      for (const bigram of bigrams(word)) if (topBigrams.has(bigram)) similarity++;
    }
  }
  await writeFile(`${file}.summary`, `${words} words, ${counts.size} distinct, top '${top}', similarity ${similarity}\n`);
  return { file, words, distinct: counts.size, top };
}

const files = sizeFromEnv('FORK_JOIN_FILES', 32);
const words = sizeFromEnv('FORK_JOIN_WORDS', 20_000);
const corpus = await makeCorpus('fork-join', files, words);
console.log(`fork-join: ${files} files of ${words} words in ${corpus.folder}`);

let start = performance.now();
const sequential = [];
for (const file of corpus.paths) sequential.push(await processFile(file));
const sequentialMs = performance.now() - start;

const pool = new ThreadPool({ size: availableParallelism() });
start = performance.now();
const parallel = await pool.map(corpus.paths, processFile);
const parallelMs = performance.now() - start;
await pool.close();

const same = JSON.stringify(sequential) === JSON.stringify(parallel);
const totalWords = parallel.reduce((sum, result) => sum + result.words, 0);
console.log(`sequential: ${sequentialMs.toFixed(0)} ms`);
console.log(`parallel (${availableParallelism()} threads): ${parallelMs.toFixed(0)} ms (${(sequentialMs / parallelMs).toFixed(2)}× faster)`);
console.log(`results identical: ${same}; ${totalWords} words in ${parallel.length} files`);
await rm(corpus.folder, { recursive: true, force: true });
if (!same) process.exitCode = 1;
