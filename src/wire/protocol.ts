/**
 * The messages between the main thread and its workers, as typed unions: what a worker is told
 * to do, and what it answers. Payloads are value envelopes (src/codec/envelope.ts): bytes and
 * side tables whose shape the protocol fixes, never inferred from the data.
 */
import type { PanicCause } from '../errors.js';
import type { MessagePort } from 'node:worker_threads';
import type { HandleDescriptor } from './handle.js';

/** Given to every worker at start. */
export interface WorkerData {
  readonly slot: number;
  /** This worker's end of its hub channel (see hub.ts). */
  readonly hubPort: MessagePort;
  /** Raised by the main thread after it posts a hub reply, to wake a worker blocked in claimSync. */
  readonly hubSignal: Int32Array;
  /** The process-wide hub ticket counter (hub.ts). */
  readonly hubTickets: Int32Array;
  /** This worker's mailbox (mailbox.ts): warm spawns and their results, as bytes. */
  readonly mailbox: SharedArrayBuffer;
  /** The process-wide count of workers spinning on their mailbox right now. */
  readonly spinners: Int32Array;
}

/** Main → worker. */
export type ToWorker =
  | RunMessage
  | { readonly type: 'spawned'; readonly requestId: number; readonly ok: true; readonly payload: unknown }
  | { readonly type: 'spawned'; readonly requestId: number; readonly ok: false; readonly cause: PanicCause };

export interface RunMessage {
  readonly type: 'run';
  readonly id: number;
  /** The function's id, under which the worker keeps it for mailbox jobs; 0: do not keep it. */
  readonly fn: number;
  /** Drop every kept function first (the main thread's table of them started over). */
  readonly forget: boolean;
  /** The closure's source, as `fn.toString()` gave it. */
  readonly source: string;
  /** The file that called spawn: dynamic imports inside the closure resolve against it. */
  readonly caller: string | undefined;
  /** The moved arguments (an encoded array). */
  readonly payload: unknown;
}

/** Hub traffic, on each worker's dedicated hub port (both directions) and its stash port (hub.ts). */
export type HubMessage =
  | { readonly type: 'stash-port'; readonly port: MessagePort }
  | { readonly type: 'stash'; readonly ticket: number; readonly payload: unknown; readonly claims: number | 'many' }
  | { readonly type: 'claim'; readonly ticket: number }
  | { readonly type: 'retire'; readonly ticket: number }
  | { readonly type: 'reply'; readonly ticket: number; readonly payload: unknown; readonly error: string | undefined };

/** Worker → main. */
export type FromWorker =
  /** `retiring`: the worker exits after this answer (its task left something it could not undo). */
  | { readonly type: 'done'; readonly id: number; readonly payload: unknown; readonly retiring?: true }
  | { readonly type: 'panic'; readonly id: number; readonly cause: PanicCause; readonly retiring?: true }
  /** The worker holds state `descriptor` (its first buffer) under `id`, until 'untrack'. */
  | { readonly type: 'track'; readonly id: number; readonly descriptor: HandleDescriptor }
  /** The worker's last objects for tracked states `ids` were garbage-collected (one message per collection's batch). */
  | { readonly type: 'untrack'; readonly ids: readonly number[] }
  /** `abort()` of the JoinHandle of nested spawn `requestId`. */
  | { readonly type: 'abort'; readonly requestId: number }
  /** Something to report on the main thread, as process.emitWarning (a failed leftover of a finished task). */
  | { readonly type: 'warning'; readonly message: string; readonly detail: string | undefined }
  /** `spawn` called inside this worker: run it on the main thread's pool. */
  | { readonly type: 'spawn'; readonly requestId: number; readonly source: string; readonly caller: string | undefined; readonly payload: unknown };

export function panicCause(error: unknown): PanicCause {
  if (error instanceof Error) {
    return { name: error.name, message: error.message, stack: error.stack };
  }
  let message: string;
  try {
    message = typeof error === 'string' ? error : JSON.stringify(error) ?? String(error);
  } catch {
    message = String(error);
  }
  return { name: 'Error', message: `a non-Error value was thrown: ${message}` };
}
