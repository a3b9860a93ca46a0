/**
 * The file that called `spawn`, read from the stack: a closure's dynamic `import()`s resolve
 * against it in the worker, as they would have where it was written.
 */
import { pathToFileURL } from 'node:url';

const packageRoot = new URL('../', import.meta.url).href;
const frame = /(?:\(|\s)((?:file|data):\/\/?[^\s)]+?|\/[^\s)]+?|[A-Za-z]:\\[^\s)]+?):\d+:\d+\)?\s*$/;

export function callerUrl(): string | undefined {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 30;
  Error.captureStackTrace(holder);
  Error.stackTraceLimit = limit;
  for (const line of (holder.stack ?? '').split('\n').slice(1)) {
    const match = frame.exec(line);
    if (match === null) continue;
    const location = match[1]!;
    const url = location.startsWith('file:') || location.startsWith('data:') ? location : pathToFileURL(location).href;
    if (url.startsWith(packageRoot) || url.startsWith('node:')) continue;
    return url;
  }
  return undefined;
}

/**
 * Only closures that import something need to know where they came from: `import(` in ES
 * module output, `require(` where CommonJS output turned a dynamic import into one.
 */
export function needsCaller(source: string): boolean {
  return /\b(?:import|require)\s*\(/.test(source);
}
