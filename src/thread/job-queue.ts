/**
 * A pool's queue: the jobs waiting for a worker, oldest first, and how a job is made — its
 * result promise, whether it has settled, and its abort (src/thread/README.md, "Abort").
 */
import type { TransferListItem } from 'node:worker_threads';
import { ThreadAbortedError } from '../errors.js';
import type { Submitted } from '../nested/server.js';
import type { Job } from './workers.js';

export class JobQueue {
  readonly #jobs: Job[] = [];

  get length(): number {
    return this.#jobs.length;
  }

  /** The oldest waiting job, taken off the queue. */
  next(): Job | undefined {
    return this.#jobs.shift();
  }

  /**
   * Queues a job; returns its result and its abort. Abort: a settled job is left alone; a
   * queued one is rejected here and never runs; a running one is up to its worker
   * (`abortRunning`: PooledWorker.abort, which does nothing if the thread already answered).
   */
  add(source: string, caller: string | undefined, payload: unknown, transfer: TransferListItem[], abortRunning: (job: Job) => void): Submitted {
    let job: Job | undefined;
    let settled = false;
    const result = new Promise<unknown>((resolve, reject) => {
      job = {
        source,
        caller,
        payload,
        transfer,
        resolve: (value) => {
          settled = true;
          resolve(value);
        },
        reject: (error) => {
          settled = true;
          reject(error);
        },
      };
    });
    const queued = job!;
    this.#jobs.push(queued);
    const abort = (): void => {
      if (settled || queued.aborted === true) return;
      if (this.#jobs.includes(queued)) {
        // Not started: it never will. It still goes to a worker, as a no-op, so that the
        // handles among its moved values are dropped there (a moved sender closes).
        queued.aborted = true;
        queued.reject(new ThreadAbortedError());
        return;
      }
      abortRunning(queued);
    };
    // Only a running job has a runner; a settled one has none either (it is cleared on settling).
    const awaitBriefly = (): void => queued.runner?.awaitAnswer(queued);
    return { result, abort, awaitBriefly };
  }
}
