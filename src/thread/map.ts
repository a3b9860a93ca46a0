/**
 * Fork-join: `pool.map(items, fn)` and `pool.map(move(...context), items, fn)`. The items go to
 * the pool's threads in chunks, a few per thread (uneven items balance without paying a message
 * per item), and the results come back in the items' order.
 */
import { InvalidArgumentError, NotCloneableError, invalidArgument } from '../errors.js';
import { decodeEnvelope, encodeEnvelope as encode, handOver, type Encoded } from '../codec/index.js';
import type { Submitted } from '../nested/server.js';
import { ownFile, callerUrl, needsCaller } from './caller.js';
import { Moved } from './move.js';
import { closureSource } from './source.js';

// In a bundle, this module's chunk is the package's: never a spawn's caller (caller.ts).
ownFile(import.meta.url);

/** What map needs of its pool. */
export interface ForkJoinPool {
  /** How many threads the chunks are spread over. */
  parallelism(): number;
  /** Throws if the pool was closed (`where` names the call). */
  checkOpen(where: string): void;
  /** Queues a chunk whose values are encoded and taken. */
  submit(source: string, caller: string | undefined, payload: unknown, transfer: Encoded['transfer']): Submitted;
}

/** ThreadPool.map, with its arguments as the caller gave them (see its overloads). */
export async function forkJoin(pool: ForkJoinPool, first: unknown, second: unknown, third?: unknown): Promise<unknown[]> {
  const withContext = first instanceof Moved;
  const [items, fn] = withContext ? [second, third] : [first, second];
  const usage = withContext ? 'pool.map(move(...context), items, fn)' : 'pool.map(items, fn)';
  if (!Array.isArray(items)) throw invalidArgument(usage, 'items', 'an array', items);
  const inner = closureSource(fn, 'pool.map()');
  pool.checkOpen('pool.map()');
  const context = withContext ? sharedContext(first as Moved<unknown[]>) : [];
  if (items.length === 0) return [];
  const call = withContext ? 'fn(items[index], ...context)' : 'fn(items[index], start + index)';
  const source = `async (items, start, context) => { const fn = (${inner}); const results = []; for (let index = 0; index < items.length; index++) results.push(await ${call}); return results; }`;
  const caller = needsCaller(inner) ? callerUrl() : undefined;
  // A few chunks per thread balance uneven items without paying a message per item.
  const chunkSize = Math.max(1, Math.ceil(items.length / (pool.parallelism() * 4)));
  // Every chunk is checked before the first is sent: an item that cannot cross must not leave
  // the earlier chunks' buffers detached and their work running.
  const encodedChunks: Encoded[] = [];
  for (let start = 0; start < items.length; start += chunkSize) {
    encodedChunks.push(encodeChunk(items.slice(start, start + chunkSize), start, context));
  }
  const results = await Promise.all(
    // Every chunk checked above; now all move at once, here, as spawn's values do, however
    // long they wait in the queue.
    encodedChunks.map(handOver).map((moved) => pool.submit(source, caller, moved.payload, moved.transfer).result),
  );
  return (results as unknown[][]).flat();
}

/** A chunk of map items with its start index; a part that cannot cross is named by its index in `items`. */
function encodeChunk(chunk: readonly unknown[], start: number, context: readonly unknown[]): Encoded {
  try {
    return encode([chunk, start, context], 'pool.map() items');
  } catch (error) {
    // The walk saw `[0][k]…` (the chunk inside the message); the caller knows `items[start + k]`.
    const inChunk = error instanceof NotCloneableError ? /^\[0\]\[(\d+)\]/.exec(error.path) : null;
    if (error instanceof NotCloneableError && inChunk !== null) {
      throw new NotCloneableError(`[${start + Number(inChunk[1])}]${error.path.slice(inChunk[0].length)}`, error.reason, 'pool.map() items');
    }
    throw error;
  }
}

/**
 * map's context, as values every chunk can carry: each chunk's thread gets its own copy (plain
 * data) or its own view of the same memory (Sync handles, SharedArrayBuffers). Checked before
 * the values are taken, so a refused context leaves the caller's values usable.
 */
function sharedContext(moved: Moved<unknown[]>): unknown[] {
  const encoded = moved.peek();
  if (encoded !== undefined && (encoded.transfer.length > 0 || encoded.moves.length > 0)) {
    const what = encoded.transfer.length > 0 ? 'an ArrayBuffer (transferred: it can be in one thread only)' : 'a sender or receiver (it belongs to one thread at a time)';
    throw new InvalidArgumentError(
      `pool.map(move(...context), items, fn): the context is shared by every call, on several threads, but it holds ${what}; share a SharedArrayBuffer, an Arc or a Mutex instead, or send per-item data in items`,
    );
  }
  return decodeEnvelope(moved.take().payload) as unknown[];
}
