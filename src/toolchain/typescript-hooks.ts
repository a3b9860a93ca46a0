/**
 * Module hooks (`module.register`) that let a worker load TypeScript where the main thread
 * loads it through a transform of its own that a worker does not inherit: vitest (vite's
 * transform runs in vitest's module runner; a fearless worker is plain Node). A closure's
 * `import('./helper.js')` of a `helper.ts`, or `spawnExport` of a `.ts` module, then works in a
 * test as it does in the test file.
 *
 * - `resolve`: a relative `./x.js` (`.mjs`, `.jsx`) that does not exist is tried as `./x.ts`
 *   (`.mts`, `.tsx`), as TypeScript's and vite's resolution do;
 * - `load`: a `.ts`/`.mts`/`.tsx` file outside node_modules is transpiled (types removed, no type
 *   check) to an ES module with an inline source map, by the project's own esbuild, or else its
 *   own `typescript` (`transpileModule`), resolved from the working directory. Neither there:
 *   the file goes to Node as it is, and fails as it did before.
 * Registered by the worker (src/worker/preloads.ts) under vitest only, where no other loader
 * (tsx) is there and Node cannot strip types itself.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Transpile = (source: string, file: string) => Promise<string>;
interface Next<Result> {
  (specifier: string, context: unknown): Promise<Result>;
}

let cwd = process.cwd();
let transpiler: Promise<Transpile | undefined> | undefined;

export function initialize(data: { cwd?: string } | undefined): void {
  if (typeof data?.cwd === 'string') cwd = data.cwd;
}

function findTranspiler(): Transpile | undefined {
  const require = createRequire(pathToFileURL(join(cwd, '/')).href);
  try {
    const esbuild = require('esbuild') as { transform(source: string, options: object): Promise<{ code: string }> };
    return async (source, file) =>
      (await esbuild.transform(source, { loader: file.endsWith('x') ? 'tsx' : 'ts', format: 'esm', target: 'node20', sourcemap: 'inline', sourcefile: file })).code;
  } catch {
    // no esbuild in the project: TypeScript's own transpiler
  }
  try {
    const ts = require('typescript') as typeof import('typescript');
    return (source, file) =>
      Promise.resolve(
        ts.transpileModule(source, {
          fileName: file,
          compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, inlineSourceMap: true, inlineSources: true, jsx: ts.JsxEmit.ReactJSX },
        }).outputText,
      );
  } catch {
    return undefined;
  }
}

const TYPESCRIPT = /\.(?:m?ts|tsx)$/;
const JAVASCRIPT = /\.(m?js|jsx)$/;
const instead: Readonly<Record<string, readonly string[]>> = { '.js': ['.ts', '.tsx'], '.mjs': ['.mts'], '.jsx': ['.tsx'] };

export async function resolve(specifier: string, context: { parentURL?: string }, next: Next<unknown>): Promise<unknown> {
  try {
    return await next(specifier, context);
  } catch (error) {
    const match = JAVASCRIPT.exec(specifier);
    if (match === null || !/^\.{1,2}\//.test(specifier) || context.parentURL?.startsWith('file:') !== true) throw error;
    for (const extension of instead[`.${match[1]!}`] ?? []) {
      try {
        return await next(specifier.slice(0, -match[0].length) + extension, context);
      } catch {
        // the next spelling
      }
    }
    throw error;
  }
}

export async function load(url: string, context: unknown, next: Next<unknown>): Promise<unknown> {
  if (!url.startsWith('file:') || !TYPESCRIPT.test(url) || url.includes('/node_modules/')) return next(url, context);
  transpiler ??= Promise.resolve(findTranspiler());
  const transpile = await transpiler;
  if (transpile === undefined) return next(url, context);
  const file = fileURLToPath(url);
  const source = await transpile(await readFile(file, 'utf8'), file);
  return { format: 'module', source, shortCircuit: true };
}
