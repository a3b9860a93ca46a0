/**
 * The one way a worker thread comes up (src/thread/workers.ts constructs every worker here).
 *
 * - **From the package's files** when they are next to this module, as the package ships: the
 *   worker loads `src/worker/main.js` and the same module graph as the main thread, so a
 *   closure's `import('fearless')` in the worker is the worker's own instance, and stack traces
 *   and source maps name the shipped files.
 * - **From text** otherwise: fearless bundled into a user's program (esbuild, webpack, rollup,
 *   vite), where `src/worker/main.js` is not on disk. The worker is the bundled text of
 *   text.js, evaluated (`eval: true`; on Deno, whose eval runs a script, not a module, a
 *   `data:` URL of it).
 * - Neither (these sources run as they are, by Bun, Deno or tsx; text.js is the stand-in): the
 *   file URL as before, which those runtimes map to `main.ts`.
 *
 * Invariant: the file is used only when this module is the shipped `worker-entry/start.js` and
 * not inside a bundle. webpack replaces `import.meta.url` with the path the module had when it
 * was bundled: the worker would load whatever version is installed there later, so a webpack
 * bundle (`import.meta.webpack` is set) always starts from its own text.
 */
import { existsSync, process, fileURLToPath, Worker, type WorkerOptions } from '#platform';
import { workerText } from '#worker-text';

/**
 * Not written as `new URL('../worker/main.js', import.meta.url)`: webpack copies the file of
 * that pattern into its output as an asset (the entry alone, without its imports).
 */
const entryPath = '../worker/main.js';

type Entry = { readonly file: URL } | { readonly text: string | URL };
let entry: Entry | undefined;

function findEntry(): Entry {
  // Not a string where a bundler emptied import.meta (esbuild's CommonJS output).
  const here = (import.meta as { url?: unknown }).url;
  const webpack = (import.meta as { webpack?: unknown }).webpack;
  if (typeof here === 'string' && webpack === undefined && here.endsWith('/worker-entry/start.js')) {
    const file = new URL(entryPath, here);
    if (file.protocol === 'file:' && existsSync(fileURLToPath(file))) return { file };
  }
  if (workerText === '') {
    if (typeof here !== 'string') throw new Error('fearless: the worker code is missing from this build (dist/src/worker-entry/text.js); run npm run build');
    return { file: new URL(entryPath, here) };
  }
  const onDeno = (process.versions as { deno?: string }).deno !== undefined;
  return { text: onDeno ? new URL(`data:text/javascript,${encodeURIComponent(workerText)}`) : workerText };
}

/** A new worker thread running the worker side of the runtime (src/worker/main.ts). */
export function startWorker(options: WorkerOptions): Worker {
  entry ??= findEntry();
  if ('file' in entry) return new Worker(entry.file, options);
  return typeof entry.text === 'string' ? new Worker(entry.text, { ...options, eval: true }) : new Worker(entry.text, options);
}
