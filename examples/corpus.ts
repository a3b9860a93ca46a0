/**
 * Makes the examples' input data on the spot (no downloads): text files of pseudo-random
 * English-like words from a seeded generator, so every run sees the same corpus.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const syllables = ['ka', 'lo', 'mi', 'ren', 'to', 'sha', 'vel', 'dor', 'qui', 'ne', 'bra', 'stu', 'fen', 'ga', 'pol'];

/** Mulberry32: tiny, fast, seeded — the corpus is the same on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function makeWord(random: () => number): string {
  const count = 1 + Math.floor(random() * 3);
  let word = '';
  for (let index = 0; index < count; index++) word += syllables[Math.floor(random() * syllables.length)];
  return word;
}

export function makeText(random: () => number, words: number): string {
  const lines: string[] = [];
  let line: string[] = [];
  for (let index = 0; index < words; index++) {
    line.push(makeWord(random));
    if (line.length === 12) {
      lines.push(line.join(' '));
      line = [];
    }
  }
  if (line.length > 0) lines.push(line.join(' '));
  return lines.join('\n') + '\n';
}

/** Writes `files` text files of `wordsPerFile` words into a fresh temporary folder. */
export async function makeCorpus(name: string, files: number, wordsPerFile: number, seed = 42): Promise<{ folder: string; paths: string[] }> {
  const folder = await mkdtemp(path.join(tmpdir(), `fearless-${name}-`));
  const input = path.join(folder, 'input');
  await mkdir(input);
  const random = seededRandom(seed);
  const paths: string[] = [];
  for (let index = 0; index < files; index++) {
    const file = path.join(input, `doc-${String(index).padStart(4, '0')}.txt`);
    await writeFile(file, makeText(random, wordsPerFile));
    paths.push(file);
  }
  return { folder, paths };
}

/** Reads a positive integer from the environment (the tests shrink the examples this way). */
export function sizeFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got '${raw}'`);
  return value;
}
