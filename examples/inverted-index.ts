/**
 * Inverted-index pipeline: five stages, each its own thread, connected by bounded channels so a
 * fast stage waits for a slow one instead of piling up memory (backpressure):
 *
 *   read files → index each → merge in memory → write index files → merge files
 *
 * Every stage is joined; a stage that fails does not hang the others (its channel ends are
 * dropped with its thread, so the stages after it see the end of their stream), and all errors
 * are reported together after the joins. `FAIL_STAGE=index` injects a failure to show that.
 *
 *   npm run example -- inverted-index
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { move, spawn, syncChannel } from 'fearless';
import { makeCorpus, sizeFromEnv } from './corpus.js';

interface Document {
  readonly file: string;
  readonly text: string;
}
interface FileIndex {
  readonly file: string;
  readonly terms: Array<[term: string, count: number]>;
}
interface Partition {
  readonly letter: string;
  readonly postings: Array<[term: string, files: Array<[file: string, count: number]>]>;
}

const files = sizeFromEnv('INDEX_FILES', 40);
const words = sizeFromEnv('INDEX_WORDS', 5_000);
const failStage = process.env.FAIL_STAGE ?? '';
const corpus = await makeCorpus('inverted-index', files, words);
const outputFolder = path.join(corpus.folder, 'index');
console.log(`inverted-index: ${files} files of ${words} words in ${corpus.folder}`);

const [documentsTx, documentsRx] = syncChannel<Document>(4);
const [indexesTx, indexesRx] = syncChannel<FileIndex>(4);
const [partitionsTx, partitionsRx] = syncChannel<Partition>(2);
const [writtenTx, writtenRx] = syncChannel<string>(8);

const stages = {
  read: spawn(move(corpus.paths, documentsTx), async (paths, out) => {
    const { readFile } = await import('node:fs/promises');
    for (const file of paths) await out.send({ file, text: await readFile(file, 'utf8') });
    return paths.length;
  }),

  index: spawn(move(documentsRx, indexesTx, failStage), (documents, out, failStage) => {
    let indexed = 0;
    for (const document of documents.iterSync()) {
      if (failStage === 'index' && indexed === 3) throw new Error(`cannot index ${document.file}: injected failure`);
      const counts = new Map<string, number>();
      for (const term of document.text.split(/\s+/)) if (term !== '') counts.set(term, (counts.get(term) ?? 0) + 1);
      out.sendSync({ file: document.file, terms: [...counts] });
      indexed++;
    }
    return indexed;
  }),

  merge: spawn(move(indexesRx, partitionsTx), (indexes, out) => {
    const postings = new Map<string, Array<[string, number]>>();
    for (const index of indexes.iterSync()) {
      for (const [term, count] of index.terms) {
        let list = postings.get(term);
        if (list === undefined) postings.set(term, (list = []));
        list.push([index.file, count]);
      }
    }
    // One partition per first letter, so the writer can stream them out.
    const byLetter = new Map<string, Partition['postings']>();
    for (const [term, list] of [...postings].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const letter = term[0] ?? '_';
      let partition = byLetter.get(letter);
      if (partition === undefined) byLetter.set(letter, (partition = []));
      partition.push([term, list]);
    }
    for (const [letter, partition] of byLetter) out.sendSync({ letter, postings: partition });
    return postings.size;
  }),

  write: spawn(move(partitionsRx, writtenTx, outputFolder), async (partitions, out, folder) => {
    const { mkdir, writeFile } = await import('node:fs/promises');
    const path = await import('node:path');
    await mkdir(folder, { recursive: true });
    let written = 0;
    for await (const partition of partitions) {
      const file = path.join(folder, `${partition.letter}.idx`);
      const lines = partition.postings.map(([term, list]) => `${term}\t${list.map(([f, c]) => `${f.slice(-12)}:${c}`).join(' ')}`);
      await writeFile(file, lines.join('\n') + '\n');
      await out.send(file);
      written++;
    }
    return written;
  }),

  mergeFiles: spawn(move(writtenRx, path.join(corpus.folder, 'index.tsv')), async (written, target) => {
    const { readFile, writeFile } = await import('node:fs/promises');
    const parts: string[] = [];
    for await (const file of written) parts.push(await readFile(file, 'utf8'));
    const merged = parts.sort().join('');
    await writeFile(target, merged);
    return { target, terms: merged.split('\n').filter((line) => line !== '').length };
  }),
};

const names = Object.keys(stages) as Array<keyof typeof stages>;
const outcomes = await Promise.allSettled(names.map((name) => stages[name].join()));
let failed = 0;
outcomes.forEach((outcome, index) => {
  const name = names[index]!;
  if (outcome.status === 'fulfilled') console.log(`stage ${name}: ok ${JSON.stringify(outcome.value)}`);
  else {
    failed++;
    const reason = outcome.reason as Error & { cause?: { message?: string } };
    console.log(`stage ${name}: FAILED ${reason.name}: ${reason.cause?.message ?? reason.message}`);
  }
});
console.log(failed === 0 ? 'pipeline finished: every stage joined' : `pipeline finished with ${failed} failed stage(s); every stage joined`);
await rm(corpus.folder, { recursive: true, force: true });
if (failed > 0) process.exitCode = 1;
