/**
 * `npm run example -- NAME` runs examples/NAME.ts (built to dist/examples/NAME.js).
 */
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const helpers = new Set(['run', 'corpus']);
const available = (await readdir(here))
  .filter((file) => file.endsWith('.js'))
  .map((file) => file.slice(0, -3))
  .filter((name) => !helpers.has(name))
  .sort();
const name = process.argv[2];
if (name === undefined || !available.includes(name)) {
  console.error(`${name === undefined ? 'no example named' : `unknown example '${name}'`}; choose one of: ${available.join(', ')}`);
  console.error('usage: npm run example -- NAME');
  process.exit(2);
}
await import(pathToFileURL(path.join(here, `${name}.js`)).href);
