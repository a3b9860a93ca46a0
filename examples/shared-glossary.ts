/**
 * Shared glossary: one large `Map<string, string>` shared with 8 threads through `Arc`. The map
 * is laid out in shared memory once, as a hash index, when the Arc is made; moving the Arc into
 * a thread sends a handle, never the map, and `get()` gives each thread a read-only Map view
 * over that memory: a lookup decodes only the definition it finds, so 8 threads cost what one
 * does.
 *
 *   npm run example -- shared-glossary
 */
import { Arc, move, spawn } from 'fearless';
import { makeWord, seededRandom, sizeFromEnv } from './corpus.js';

const entries = sizeFromEnv('GLOSSARY_ENTRIES', 200_000);
const threads = 8;
const random = seededRandom(7);
const terms = new Map<string, string>();
while (terms.size < entries) {
  const term = `${makeWord(random)}-${terms.size}`;
  terms.set(term, `${makeWord(random)} ${makeWord(random)} ${makeWord(random)}`);
}
const keys = [...terms.keys()];

let start = performance.now();
const glossary = new Arc(terms);
console.log(`shared-glossary: ${entries} entries put in shared memory in ${(performance.now() - start).toFixed(0)} ms`);

start = performance.now();
const handles = [];
for (let thread = 0; thread < threads; thread++) {
  // Each thread looks up its own slice of the keys and reports what it found.
  const slice = keys.filter((_, index) => index % threads === thread).slice(0, 5_000);
  handles.push(
    spawn(move(glossary, slice, thread), (glossary, slice, thread) => {
      const map = glossary.get();
      let found = 0;
      let definitionChars = 0;
      for (const key of slice) {
        const definition = map.get(key);
        if (definition !== undefined) {
          found++;
          definitionChars += definition.length;
        }
      }
      return { thread, size: map.size, found, definitionChars };
    }),
  );
}
const reports = await Promise.all(handles.map((handle) => handle.join()));
const elapsed = performance.now() - start;
for (const report of reports) {
  console.log(`thread ${report.thread}: sees ${report.size} entries, found ${report.found} of its keys`);
}
const allFound = reports.every((report, thread) => report.size === entries && report.found === keys.filter((_, index) => index % threads === thread).slice(0, 5_000).length);
console.log(`${threads} threads read one shared copy in ${elapsed.toFixed(0)} ms; every lookup found: ${allFound}`);
if (!allFound) process.exitCode = 1;
