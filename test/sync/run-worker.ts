/** Starts the shared-state fixture worker (test/fixtures/sync/sync-worker.ts, compiled). */
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { describe as describeHandle, type Handle } from '../../dist/src/wire/handle.js';
import type { SyncWorkerData } from '../fixtures/sync/sync-worker.js';

const script = fileURLToPath(new URL('../../dist/test/fixtures/sync/sync-worker.js', import.meta.url));
let nextSlot = 1;

export interface RunningWorker {
  readonly slot: number;
  readonly worker: Worker;
  /** The scenario's return value; rejects if the worker throws or exits first. */
  readonly done: Promise<unknown>;
  /** Resolves with the first progress message the scenario posts (`'locked'`, `'waiting'`). */
  readonly progress: Promise<unknown>;
  /** Resolves with the exit code. */
  readonly exited: Promise<number>;
}

export function startWorker(scenario: SyncWorkerData['scenario'], handles: readonly object[], count = 0): RunningWorker {
  const slot = nextSlot++;
  const data: SyncWorkerData = { slot, scenario, handles: handles.map((handle) => (handle as Handle)[describeHandle]()), count };
  const worker = new Worker(script, { workerData: data });
  let reportProgress: (message: unknown) => void = () => {};
  const progress = new Promise<unknown>((resolve) => (reportProgress = resolve));
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  const done = new Promise<unknown>((resolve, reject) => {
    worker.on('message', (message: unknown) => {
      if (typeof message === 'object' && message !== null && 'done' in message) resolve(message.done);
      else reportProgress(message);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`worker for ${scenario} exited with code ${code} before finishing`)));
  });
  // A scenario expected to die is awaited through `exited`; its `done` rejection is not an error.
  done.catch(() => {});
  return { slot, worker, done, progress, exited };
}

export async function runWorkers(scenario: SyncWorkerData['scenario'], count: number, threads: number, handles: readonly object[]): Promise<unknown[]> {
  return Promise.all(Array.from({ length: threads }, () => startWorker(scenario, handles, count).done));
}
