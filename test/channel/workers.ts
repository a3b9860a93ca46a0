/**
 * Starts raw workers on the compiled channel fixture, moving handles into them the way the
 * thread runtime does: describe, post the descriptor, mark the local object moved.
 */
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { ChannelWorkerData } from '../../dist/test/fixtures/channel/worker.js';

interface Descriptor {
  readonly kind: string;
  readonly buffers: readonly SharedArrayBuffer[];
  readonly data: Readonly<Record<string, number | string | boolean | null>>;
}

/**
 * The handle protocol as the built package has it (the same module instance `fearless` uses;
 * its declarations are typed here loosely because the checker sees src/ and dist/ as two worlds).
 */
const wire = (await import('../../dist/src/wire/handle.js')) as unknown as {
  readonly describe: symbol;
  readonly moved: symbol;
  handleKind(kind: string): { onThreadDeath?(descriptor: Descriptor, slot: number): void };
  reviveHandle(descriptor: Descriptor): object;
};

/** Revives a handle from a descriptor, as a thread receiving it does. */
export function revive(descriptor: Descriptor): object {
  return wire.reviveHandle(descriptor);
}

type Protocol = Record<symbol, (() => Descriptor) | undefined>;

export function describeOf(handle: object): Descriptor {
  return (handle as Protocol)[wire.describe]!();
}

/** What the thread runtime does on the main thread after worker `slot` died holding `handle`'s state. */
export function simulateThreadDeath(handle: object, kind: string, slot: number): void {
  wire.handleKind(kind).onThreadDeath!({ ...describeOf(handle), kind }, slot);
}

const fixture = fileURLToPath(new URL('../../dist/test/fixtures/channel/worker.js', import.meta.url));

export interface StartedWorker {
  readonly worker: Worker;
  /** Resolves with the exit code. */
  readonly exited: Promise<number>;
  /** The next message the worker posts. */
  next<Value>(): Promise<Value>;
}

export function startWorker(options: Omit<ChannelWorkerData, 'descriptors'>, handles: readonly object[]): StartedWorker {
  const descriptors = handles.map(describeOf);
  const worker = new Worker(fixture, { workerData: { ...options, descriptors } satisfies ChannelWorkerData });
  for (const handle of handles) (handle as Protocol)[wire.moved]!();
  const exited = new Promise<number>((resolve, reject) => {
    worker.once('exit', resolve);
    worker.once('error', reject);
  });
  return {
    worker,
    exited,
    next: <Value>() => new Promise<Value>((resolve) => worker.once('message', resolve)),
  };
}
