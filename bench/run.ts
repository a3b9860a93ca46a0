/**
 * `npm run bench`: runs every suite in bench/suites (each module's default export), in one
 * process, one after the other, so each suite's baseline shares the run with what it measures.
 * `npm run bench -- channels` runs only the suites whose file name contains `channels`.
 */
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const suitesDirectory = path.join(path.dirname(fileURLToPath(import.meta.url)), 'suites');
const filter = process.argv[2];
const files = (await readdir(suitesDirectory))
  .filter((file) => file.endsWith('.js') && (filter === undefined || file.includes(filter)))
  .sort();
if (files.length === 0) {
  console.error(`no benchmark suite matches ${filter === undefined ? '(any)' : `'${filter}'`} in ${suitesDirectory}`);
  process.exit(1);
}
// The same suites run under Bun and Deno (`bun dist/bench/run.js`, `deno run -A dist/bench/run.js`):
// name the runtime actually measured, not the Node version it emulates.
const { bun, deno } = process.versions as { bun?: string; deno?: string };
const runtime = bun !== undefined ? `bun ${bun}` : deno !== undefined ? `deno ${deno}` : `node ${process.version}`;
console.log(`# fearless benchmarks — ${runtime}, ${new Date().toISOString()}`);
for (const file of files) {
  const suite = (await import(path.join(suitesDirectory, file))) as { default: () => Promise<void> };
  await suite.default();
}
