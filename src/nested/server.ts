/**
 * A nested spawn, the main thread's side: a worker asked for a thread (`spawn` called inside a
 * spawned thread, see client.ts); it runs on the main thread's default pool and the outcome goes
 * back to the worker that asked. The pool is not imported from here: src/thread/ passes in how
 * to submit to it (`submit`), so src/thread/ → src/nested/ is the only edge between the folders.
 */
import type { TransferListItem } from 'node:worker_threads';
import { ThreadPanic } from '../errors.js';
import { commitMove, encodeEnvelope as encode } from '../codec/index.js';
import { panicCause, type FromWorker, type ToWorker } from '../wire/protocol.js';
import { transferables } from '../hub/hub.js';

/** Work handed to a pool: its outcome, and how to abort it. */
export interface Submitted {
  readonly result: Promise<unknown>;
  readonly abort: () => void;
  /** join()'s brief wait for a job handed over hot (src/thread/join-spin.ts); absent where there is none. */
  readonly awaitBriefly?: () => void;
}

/** How a spawn whose values are already encoded is run (the default pool's `submitEncoded`). */
export type Submit = (source: string, caller: string | undefined, payload: unknown, transfer: TransferListItem[]) => Submitted;

/** A spawn request from a worker. */
export type SpawnRequest = Extract<FromWorker, { type: 'spawn' }>;

/** How the answer goes back to the worker that asked. */
export type Reply = (message: ToWorker, transfer?: TransferListItem[]) => void;

/**
 * Runs `request` through `submit` and answers with its outcome (a value moved back, or the
 * cause of its panic or abort, which the client turns back into the same error); returns its
 * abort, which the worker's 'abort' message calls.
 */
export function serveNestedSpawn(request: SpawnRequest, reply: Reply, submit: Submit): () => void {
  let submitted: Submitted;
  try {
    submitted = submit(request.source, request.caller, request.payload, transferables(request.payload));
  } catch (error) {
    reply({ type: 'spawned', requestId: request.requestId, ok: false, cause: panicCause(error) });
    return () => {};
  }
  submitted.result.then(
    (value) => {
      try {
        const encoded = encode(value, 'the value returned by the thread');
        reply({ type: 'spawned', requestId: request.requestId, ok: true, payload: encoded.payload }, encoded.transfer);
        commitMove(encoded);
      } catch (error) {
        reply({ type: 'spawned', requestId: request.requestId, ok: false, cause: panicCause(error) });
      }
    },
    (error: unknown) => {
      const cause = error instanceof ThreadPanic ? error.cause : panicCause(error);
      reply({ type: 'spawned', requestId: request.requestId, ok: false, cause });
    },
  );
  return submitted.abort;
}
