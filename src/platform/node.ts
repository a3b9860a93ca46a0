/**
 * The platform as Node, Bun and Deno give it: what the runtime takes from `node:` modules,
 * re-exported as it is (the same functions and objects, so behaviour and speed are those of the
 * direct imports). The package's `imports` field maps `#platform` here by default, and to
 * browser.ts under the `browser` condition: no `node:` import reaches a browser bundle.
 *
 * Invariant: browser.ts exports the same names with the same types (checked there, at compile
 * time, against this module's type).
 */
export { Worker, MessageChannel, receiveMessageOnPort, isMainThread, parentPort, workerData } from 'node:worker_threads';
export { availableParallelism } from 'node:os';
export { Buffer } from 'node:buffer';
export { inspect, TextEncoder } from 'node:util';
export { randomUUID } from 'node:crypto';
export { existsSync, readFileSync, statSync } from 'node:fs';
export { fileURLToPath, pathToFileURL } from 'node:url';
export { dirname, isAbsolute, join } from 'node:path';
export { createRequire, isBuiltin, register } from 'node:module';
export { Script } from 'node:vm';
import vm from 'node:vm';
import v8 from 'node:v8';

export type { MessagePort, TransferListItem, Worker as WorkerType, WorkerOptions, ResourceLimits } from 'node:worker_threads';
export type { InspectOptions } from 'node:util';

export { vm };
/** The global `process`, named so that a browser build can give its own. */
export const process: NodeJS.Process = globalThis.process;

/** Node's own setImmediate and clearImmediate (a browser has neither). */
export const { setImmediate, clearImmediate } = globalThis;

/** receiveMessageOnPort takes a posted message at once, without the event loop. */
export const receivesSynchronously = true;

/** Whether this thread may block in `Atomics.wait`: always, outside a browser. */
export const mayBlock = true;

/** Shared memory is always there outside a browser: nothing to check. */
export function assertIsolated(): void {}

/** Only a browser can lack shared memory: errors.ts' maker of that error is not needed here. */
export function onNotIsolated(_make: () => Error): void {}

/** A timer that does not keep the process alive (a browser has no such notion). */
export function unrefTimer(timer: NodeJS.Timeout): void {
  timer.unref();
}

/** This thread's full garbage collection, once found; null: the host gives none. */
let collector: (() => void) | null | undefined;

/**
 * Runs a full garbage collection of this thread now, if the host lets a library ask for one;
 * false if it does not. For memory that only a full collection frees and that the collector
 * cannot see (src/wire/collection.ts). Found once: a `gc` the program exposed itself
 * (`--expose-gc`), Bun's `Bun.gc`, or V8's gc function taken from a fresh context with the
 * flag set for that moment only (the program's own contexts never see a `gc` global).
 */
export function collectGarbage(): boolean {
  collector ??= findCollector();
  if (collector === null) return false;
  collector();
  return true;
}

function findCollector(): (() => void) | null {
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') return exposed as () => void;
  const bun = (globalThis as { Bun?: { gc?: (force: boolean) => void } }).Bun;
  if (typeof bun?.gc === 'function') return () => bun.gc?.(true);
  // Any failure (a host without the flag, a runtime that forbids reading the environment)
  // means no collector: the budget then keeps the old behaviour, and the program never sees it.
  try {
    // The flag is the whole process's: left as it was if the program set it itself.
    const setByProgram = /--expose[-_]gc/.test(`${process.execArgv.join(' ')} ${process.env['NODE_OPTIONS'] ?? ''}`);
    v8.setFlagsFromString('--expose-gc');
    try {
      const gc: unknown = vm.runInNewContext('gc');
      return typeof gc === 'function' ? (gc as () => void) : null;
    } finally {
      if (!setByProgram) v8.setFlagsFromString('--no-expose-gc');
    }
  } catch {
    return null;
  }
}
