/**
 * The main thread's loaders, run again in this worker before its first task: a closure that
 * imports a `.ts` helper under `tsx`, or a module an `--import`ed hook resolves, works in a
 * thread as it does where the closure was written.
 *
 * Node 20 runs a worker's `--require` preloads, and its `--import` modules only for a worker
 * started from a file (not for one started from text, `eval: true`); it never applies the
 * `--loader` hooks, and a hook the main thread registered with `module.register()` stays on
 * the main thread. And tsx's `--import` entry registers its hooks on the main thread only
 * (under Node 20): a closure's `import('./helper.ts')` failed with "Unknown file extension".
 * So here, from this thread's `execArgv` (the main thread's, see thread/worker-flags.ts):
 * - `--import X`: X is imported (a module that calls `module.register()` registers its hooks
 *   for this thread then); tsx's entry registers only on a main thread under Node 20, so for
 *   tsx its own API is called instead: `register()` of `tsx/esm/api` and `tsx/cjs/api`;
 * - `--loader X` / `--experimental-loader X`: `module.register(X)`, as Node does for the main thread.
 * An `--import` that Node already ran in this worker is not run twice: importing it again finds
 * it in the module cache. Specifiers resolve from the working directory, as Node resolves them.
 * Imported once per worker, at its start; a failing preload fails the worker's start loudly (the
 * first spawn panics naming it), rather than every closure failing later with a stranger error.
 */
import { existsSync, readFileSync, process, createRequire, register, dirname, join, fileURLToPath, pathToFileURL } from '#platform';

/** Each `--import`/`--loader` of `execArgv`, in order, with its value. */
export function loaderFlags(execArgv: readonly string[]): { kind: 'import' | 'loader'; specifier: string }[] {
  const found: { kind: 'import' | 'loader'; specifier: string }[] = [];
  for (let index = 0; index < execArgv.length; index++) {
    const flag = execArgv[index]!;
    const equals = flag.indexOf('=');
    const name = flag.startsWith('--') && equals > 0 ? flag.slice(0, equals) : flag;
    const kind = name === '--import' ? 'import' : name === '--loader' || name === '--experimental-loader' ? 'loader' : undefined;
    if (kind === undefined) continue;
    const specifier = name === flag ? execArgv[++index] : flag.slice(equals + 1);
    if (specifier !== undefined && specifier !== '') found.push({ kind, specifier });
  }
  return found;
}

/** Where Node resolves a preload specifier from: the working directory. */
const base = pathToFileURL(join(process.cwd(), '/')).href;

/** A specifier as the main thread resolved it: a URL, a path, or a package name from the working directory. */
function resolveFromCwd(specifier: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(specifier) && !/^[a-z]:[\\/]/i.test(specifier)) return specifier;
  if (specifier.startsWith('.') || specifier.startsWith('/') || /^[a-z]:[\\/]/i.test(specifier)) return new URL(specifier, base).href;
  // A package: its ES module entry, as `import` would pick it (the "import" condition).
  const require = createRequire(base);
  const packageJson = packageJsonOf(specifier, require);
  if (packageJson !== undefined) {
    const entry = exportEntry(packageJson.json, subpathOf(specifier));
    if (entry !== undefined) return pathToFileURL(join(dirname(packageJson.path), entry)).href;
  }
  return pathToFileURL(require.resolve(specifier)).href;
}

function subpathOf(specifier: string): string {
  const parts = specifier.split('/');
  const nameLength = specifier.startsWith('@') ? 2 : 1;
  const rest = parts.slice(nameLength).join('/');
  return rest === '' ? '.' : `./${rest}`;
}

function packageJsonOf(specifier: string, require: NodeJS.Require): { path: string; json: { name?: string; exports?: unknown } } | undefined {
  const name = specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
  try {
    const path = require.resolve(`${name}/package.json`);
    return { path, json: JSON.parse(readFileSync(path, 'utf8')) as { exports?: unknown } };
  } catch {
    return undefined;
  }
}

/** The file `exports[subpath]` names for an ES module import (conditions: import, node, default). */
function exportEntry(json: { exports?: unknown }, subpath: string): string | undefined {
  const exports = json.exports;
  const entry = typeof exports === 'string' || Array.isArray(exports) ? (subpath === '.' ? exports : undefined) : (exports as Record<string, unknown> | undefined)?.[subpath];
  return pick(entry);
}

function pick(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (Array.isArray(entry)) return entry.map(pick).find((found) => found !== undefined);
  if (typeof entry !== 'object' || entry === null) return undefined;
  for (const condition of ['import', 'node', 'default']) {
    const found = pick((entry as Record<string, unknown>)[condition]);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The root of the tsx package a preload URL lies in, if it does. */
function tsxRoot(url: string): string | undefined {
  if (!url.startsWith('file:')) return undefined;
  let folder = dirname(fileURLToPath(url));
  for (let depth = 0; depth < 4; depth++) {
    try {
      const json = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { name?: string; exports?: unknown };
      if (json.name === 'tsx') return folder;
      if (json.name !== undefined) return undefined;
    } catch {
      // no package.json here: one folder up
    }
    folder = dirname(folder);
  }
  return undefined;
}

async function registerTsx(root: string): Promise<void> {
  const json = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports?: unknown };
  for (const subpath of ['./esm/api', './cjs/api']) {
    const entry = exportEntry(json, subpath);
    if (entry === undefined) continue;
    const api = (await import(pathToFileURL(join(root, entry)).href)) as { register?: () => unknown };
    api.register?.();
  }
}

/**
 * Under vitest, TypeScript modules a closure imports are loaded with the project's own
 * transpiler (toolchain/typescript-hooks.ts), unless a loader of the main thread (tsx) does it
 * or Node strips types itself. Not in a bundle (no hooks file there): a bundle has no `.ts` left.
 */
function registerTypeScriptHooks(): void {
  if (process.env['VITEST'] === undefined) return;
  if ((process.features as { typescript?: unknown }).typescript !== undefined) return;
  const hooks = new URL('../toolchain/typescript-hooks.js', import.meta.url);
  if (hooks.protocol !== 'file:' || !existsSync(fileURLToPath(hooks))) return;
  register(hooks, { parentURL: base, data: { cwd: process.cwd() } });
}

/** Runs the main thread's `--import`s and `--loader`s in this worker (see the top of this file). */
export async function runPreloads(execArgv: readonly string[]): Promise<void> {
  let tsx = false;
  for (const { kind, specifier } of loaderFlags(execArgv)) {
    const url = resolveFromCwd(specifier);
    try {
      if (kind === 'loader') {
        register(url, base);
        continue;
      }
      const root = tsxRoot(url);
      if (root !== undefined) {
        tsx = true;
        await registerTsx(root);
      } else {
        await import(url);
      }
    } catch (error) {
      throw new Error(`fearless: this worker could not run the main thread's --${kind} ${specifier} (${String(error)})`, { cause: error });
    }
  }
  if (!tsx) registerTypeScriptHooks();
}
