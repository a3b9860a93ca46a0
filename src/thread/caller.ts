/**
 * The file that called `spawn`, read from the stack: a closure's dynamic `import()`s resolve
 * against it in the worker, as they would have where it was written.
 */
import { readFileSync, statSync, process, fileURLToPath, pathToFileURL } from '#platform';
import { parse } from 'acorn';
import { usesCaller } from '../toolchain/table.js';

/**
 * The package's own folder, whose frames are never the caller. Inside a bundle (this module is
 * not its own caller.js/.ts) there is no such folder: the package is in the files its modules
 * were bundled into (`bundleFiles`), which in a one-file bundle is the program's file too. Their
 * frames are passed over for a frame of another file (the program's, when the bundler split
 * the package into chunks of its own), and the first of them is the caller when there is none.
 * `import.meta.url` is not a string where a bundler emptied `import.meta` (esbuild's CommonJS).
 */
const here = (import.meta as { url?: unknown }).url;
const packageRoot = typeof here === 'string' && /\/thread\/caller\.[cm]?[jt]s$/.test(here) ? new URL('../', here).href : undefined;
/**
 * Inside a bundle: the files the package's code on the way from a user's call to here was
 * bundled into. One file in a one-file bundle; several chunks where the bundler split the
 * package (rollup and vite put spawn.ts, pool.ts and this module in chunks of their own: the
 * chunk of spawn.ts then passed for the caller, and a closure's import() resolved from it).
 * Each module on that way says where it is with `ownFile(import.meta.url)`.
 */
const bundleFiles = new Set<string>();

/** Marks the file a module of the spawn path runs from as the package's (see bundleFiles). */
export function ownFile(url: unknown): void {
  if (packageRoot === undefined && typeof url === 'string') bundleFiles.add(url);
}
ownFile(here);

/**
 * Deno source-maps a CallSite's file name (dist/x.js reads as the src/x.ts it was compiled from,
 * which broke both the skipping of our own frames and a closure's relative imports); the script
 * it ran is getScriptNameOrSourceURL(). Elsewhere that name can be a `//# sourceURL` label
 * instead, so it is read on Deno only.
 */
const onDeno = (process.versions as { deno?: string }).deno !== undefined;
function ranFile(frame: NodeJS.CallSite): string | null | undefined {
  return onDeno ? (frame.getScriptNameOrSourceURL() ?? frame.getFileName()) : frame.getFileName();
}

/**
 * The stack is read as V8's CallSite objects, through a `prepareStackTrace` of our own for the
 * one capture: whatever a library installed as `Error.prepareStackTrace` (source-map support,
 * frameworks that make `stack` an array of frames) has no say in what we read, and the file
 * names are the ones the engine ran, never rewritten by a source map.
 */
export function callerUrl(): string | undefined {
  const holder: { stack?: unknown } = {};
  // Saved to be put back as it was, never called here.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const prepareStackTrace = Error.prepareStackTrace;
  const stackTraceLimit = Error.stackTraceLimit;
  let frames: unknown;
  try {
    Error.stackTraceLimit = 30;
    Error.prepareStackTrace = (_error, callSites) => callSites;
    Error.captureStackTrace(holder);
    frames = holder.stack;
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    Error.stackTraceLimit = stackTraceLimit;
  }
  // Not an array only on an engine without V8's stack API (then there is no caller to find).
  if (!Array.isArray(frames)) return undefined;
  let bundle: string | undefined;
  for (const frame of frames as NodeJS.CallSite[]) {
    const file = ranFile(frame);
    if (file === undefined || file === null || file === '') continue;
    const url = toUrl(file);
    if (url === undefined || (packageRoot !== undefined && url.startsWith(packageRoot)) || url.startsWith('node:')) continue;
    if (bundleFiles.has(url)) {
      bundle ??= url;
      continue;
    }
    return url;
  }
  return bundle;
}

function toUrl(file: string): string | undefined {
  if (/^(?:file|data|https?):/.test(file)) return file;
  if (file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file) || file.startsWith('\\\\')) return pathToFileURL(file).href;
  // 'node:internal/…', 'evalmachine.<anonymous>', '<anonymous>': nothing to resolve against.
  return undefined;
}

/**
 * Only closures that import something need to know where they came from: `import(` in ES
 * module output, `require(` where CommonJS output turned a dynamic import into one, and vite's
 * SSR transform's `__vite_ssr_dynamic_import__(`; CommonJS's `__filename` and `__dirname` are
 * the caller's. The toolchains' names are the toolchain table's (`usesCaller`).
 */
export function needsCaller(source: string): boolean {
  // Asked on every spawn of the same few sources (the same string objects: see source.ts), so
  // remembered; bounded as the source cache is.
  let needs = callerNeeded.get(source);
  if (needs === undefined) {
    needs = usesCaller.test(source);
    if (callerNeeded.size >= 4_096) callerNeeded.clear();
    callerNeeded.set(source, needs);
  }
  return needs;
}

const callerNeeded = new Map<string, boolean>();

/** A name the calling file binds at its top level to something it imports. */
export interface ImportBinding {
  /** `'node:timers/promises'`. */
  readonly specifier: string;
  /** The export it reads: a name, `'default'` (CommonJS `const x = require(…)` too), or `'*'` for a namespace import. */
  readonly imported: string;
  /** How the file wrote it, for the error message. */
  readonly written: string;
}

/**
 * The import table of each calling file: its top-level `import` declarations and CommonJS
 * `require` bindings, by local name, read from the file on disk (acorn, once per file).
 *
 * Invariant: an entry describes the code that runs under that URL. It holds because a module's
 * code never changes once loaded under one URL (ES modules are cached by URL; a new version is
 * imported under a new URL, a new key here). What it cannot see is skipped, never guessed: a
 * file that is not a `file:` URL, cannot be read, is larger than MAX_FILE, or does not parse as
 * JavaScript (TypeScript run by tsx or vitest, whose on-disk text is not what runs) gets `null`,
 * and `null` refuses nothing. The one way to go stale: a CommonJS file re-required after
 * `delete require.cache[…]` with new contents keeps its first table. Bounded: at most
 * MAX_FILES files, the whole table dropped when full (a program spawns from few files).
 */
const importTables = new Map<string, ReadonlyMap<string, ImportBinding> | null>();
const MAX_FILES = 256;
const MAX_FILE = 4 * 1024 * 1024;

export function importsOf(url: string): ReadonlyMap<string, ImportBinding> | null {
  let table = importTables.get(url);
  if (table === undefined) {
    table = readImports(url);
    if (importTables.size >= MAX_FILES) importTables.clear();
    importTables.set(url, table);
  }
  return table;
}

/** For tests: forget every file's table. */
export function forgetImportTables(): void {
  importTables.clear();
}

interface Node {
  readonly type: string;
  readonly [key: string]: unknown;
}

function readImports(url: string): ReadonlyMap<string, ImportBinding> | null {
  if (!url.startsWith('file:')) return null;
  let text: string;
  try {
    const path = fileURLToPath(url);
    if (statSync(path).size > MAX_FILE) return null;
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  // A file with neither cannot bind an import (and most files a spawn comes from are small).
  if (!/\b(?:import|require)\b/.test(text)) return new Map();
  let program: Node;
  try {
    program = parse(text, { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true }) as unknown as Node;
  } catch {
    try {
      // CommonJS that is not valid as a module (a top-level `return`, `with`, octal literals…).
      program = parse(text, { ecmaVersion: 'latest', sourceType: 'script', allowHashBang: true, allowReturnOutsideFunction: true }) as unknown as Node;
    } catch {
      return null;
    }
  }
  const table = new Map<string, ImportBinding>();
  for (const statement of program['body'] as Node[]) {
    if (statement.type === 'ImportDeclaration') {
      const specifier = (statement['source'] as Node)['value'] as string;
      for (const binding of statement['specifiers'] as Node[]) {
        const local = (binding['local'] as Node)['name'] as string;
        if (binding.type === 'ImportDefaultSpecifier') table.set(local, { specifier, imported: 'default', written: `import ${local} from '${specifier}'` });
        else if (binding.type === 'ImportNamespaceSpecifier') table.set(local, { specifier, imported: '*', written: `import * as ${local} from '${specifier}'` });
        else {
          const imported = binding['imported'] as Node;
          const name = (imported['name'] ?? imported['value']) as string;
          table.set(local, { specifier, imported: name, written: `import { ${name === local ? local : `${name} as ${local}`} } from '${specifier}'` });
        }
      }
    } else if (statement.type === 'VariableDeclaration') {
      for (const declarator of statement['declarations'] as Node[]) requireBinding(declarator, table);
    }
  }
  return table;
}

/** `const x = require('m')`, `const x = require('m').y`, `const { y, z: x } = require('m')`. */
function requireBinding(declarator: Node, table: Map<string, ImportBinding>): void {
  let init = declarator['init'] as Node | null;
  let property: string | undefined;
  if (init?.type === 'MemberExpression' && init['computed'] !== true) {
    property = (init['property'] as Node)['name'] as string;
    init = init['object'] as Node;
  }
  const specifier = requiredSpecifier(init);
  if (specifier === undefined) return;
  const id = declarator['id'] as Node;
  if (id.type === 'Identifier') {
    const local = id['name'] as string;
    table.set(local, { specifier, imported: property ?? 'default', written: `const ${local} = require('${specifier}')${property === undefined ? '' : `.${property}`}` });
  } else if (id.type === 'ObjectPattern' && property === undefined) {
    for (const entry of id['properties'] as Node[]) {
      if (entry.type !== 'Property' || entry['computed'] === true) continue;
      const key = entry['key'] as Node;
      const name = (key['name'] ?? String(key['value'])) as string;
      let value = entry['value'] as Node;
      if (value.type === 'AssignmentPattern') value = value['left'] as Node;
      if (value.type !== 'Identifier') continue;
      const local = value['name'] as string;
      table.set(local, { specifier, imported: name, written: `const { ${name === local ? local : `${name}: ${local}`} } = require('${specifier}')` });
    }
  }
}

function requiredSpecifier(node: Node | null): string | undefined {
  if (node?.type !== 'CallExpression') return undefined;
  const callee = node['callee'] as Node;
  const args = node['arguments'] as Node[];
  if (callee.type !== 'Identifier' || callee['name'] !== 'require' || args.length !== 1) return undefined;
  const value = args[0]!['value'];
  return args[0]!.type === 'Literal' && typeof value === 'string' ? value : undefined;
}
