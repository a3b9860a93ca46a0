/**
 * The file that called `spawn`, read from the stack: a closure's dynamic `import()`s resolve
 * against it in the worker, as they would have where it was written.
 */
import { pathToFileURL } from 'node:url';

const packageRoot = new URL('../', import.meta.url).href;

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
  for (const frame of frames as NodeJS.CallSite[]) {
    const file = ranFile(frame);
    if (file === undefined || file === null || file === '') continue;
    const url = toUrl(file);
    if (url === undefined || url.startsWith(packageRoot) || url.startsWith('node:')) continue;
    return url;
  }
  return undefined;
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
 * SSR transform's `__vite_ssr_dynamic_import__(`; CommonJS's `__filename` and `__dirname` are the caller's.
 */
export function needsCaller(source: string): boolean {
  // Asked on every spawn of the same few sources (the same string objects: see source.ts), so
  // remembered; bounded as the source cache is.
  let needs = callerNeeded.get(source);
  if (needs === undefined) {
    needs = /\b(?:import|require|__require|__vite_ssr_dynamic_import__)\s*\(|\b__(?:file|dir)name\b/.test(source);
    if (callerNeeded.size >= 4_096) callerNeeded.clear();
    callerNeeded.set(source, needs);
  }
  return needs;
}

const callerNeeded = new Map<string, boolean>();
