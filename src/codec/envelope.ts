/**
 * The postMessage transport of the codec (spawn arguments and results, hub-parked channel
 * messages): an {@link Envelope} of a fixed shape, decided by the protocol and never by the
 * data: the value's bytes, the SharedArrayBuffers it shares and the ArrayBuffers it moves.
 * postMessage clones only the envelope; what arrives is decoded from the bytes.
 */
import type { TransferListItem } from 'node:worker_threads';
import { InvalidArgumentError } from '../errors.js';
import { currentTask } from '../wire/context.js';
import { moved, type Handle, type HandleDescriptor } from '../wire/handle.js';
import { decode } from './decode.js';
import { encode } from './encode.js';
import { viewsOf, type DecodeSource, type EncodeTarget } from './target.js';

export interface Envelope {
  /**
   * The value's bytes, as an ArrayBuffer of their own, not a view: Deno's `node:worker_threads`
   * posts a typed array from the main thread to a worker at ~200 ns a byte (a 100 KB view: 19 ms;
   * the same bytes as an ArrayBuffer: 0.6 ms), which made pool.map on Deno ~9× slower than Node.
   */
  readonly bytes: ArrayBuffer;
  /** SharedArrayBuffers by id (shared, never copied). */
  readonly shared: readonly SharedArrayBuffer[];
  /** ArrayBuffers by transfer index (moved: detached on the sending side). */
  readonly transfer: readonly ArrayBuffer[];
}

/** A value ready for postMessage. */
export interface Encoded {
  readonly payload: Envelope;
  /** What postMessage must transfer (the envelope's moved ArrayBuffers). */
  readonly transfer: TransferListItem[];
  /** Send-only handles that move with the value; `commitMove` retires them after sending. */
  readonly moves: Handle[];
}

/** Shared by every target that moves no handle (never written to). */
const none: Handle[] = [];

/** Collects the parts of a value that travel beside its bytes (made only when met). */
export class EnvelopeTarget implements EncodeTarget {
  private shared: SharedArrayBuffer[] | undefined;
  private transfer: ArrayBuffer[] | undefined;
  moves: Handle[] = none;

  /** Nothing beside the bytes: the value can travel as bytes alone. */
  get bytesOnly(): boolean {
    return this.shared === undefined && this.transfer === undefined && this.moves.length === 0;
  }

  get transferList(): ArrayBuffer[] {
    return this.transfer ?? [];
  }

  sharedId(buffer: SharedArrayBuffer): number {
    const shared = (this.shared ??= []);
    const known = shared.indexOf(buffer);
    return known >= 0 ? known : shared.push(buffer) - 1;
  }

  transferIndex(buffer: ArrayBuffer): number {
    // Each buffer is met once: a second sight is a REF to the first.
    return (this.transfer ??= []).push(buffer) - 1;
  }

  acceptHandle(handle: Handle, descriptor: HandleDescriptor): undefined {
    if (descriptor.data['shared'] !== true && typeof handle[moved] === 'function') {
      if (this.moves === none) this.moves = [];
      this.moves.push(handle);
    }
    return undefined;
  }

  envelope(bytes: Uint8Array): Envelope {
    // A copy: the encoder's bytes are reused by the next encode.
    return { bytes: bytes.slice().buffer, shared: this.shared ?? [], transfer: this.transfer ?? [] };
  }
}

/**
 * Encodes `value` into an envelope; throws NotCloneableError naming the path (and `where`)
 * before anything is moved. With `asArguments`, `value` is an argument list.
 */
export function encodeEnvelope(value: unknown, where: string, asArguments = false): Encoded {
  const target = new EnvelopeTarget();
  const bytes = encode(value, target, where, '', asArguments);
  return { payload: target.envelope(bytes), transfer: [...target.transferList], moves: target.moves };
}

/** The value an envelope from another thread (or this one) carries, its handles revived. */
export function decodeEnvelope(payload: unknown): unknown {
  if (!isEnvelope(payload)) {
    throw new InvalidArgumentError('fearless: a message that is not a value envelope arrived (two versions of fearless in one process?)');
  }
  return decode(viewsOf(new Uint8Array(payload.bytes)), 0, new EnvelopeSource(payload));
}

function isEnvelope(payload: unknown): payload is Envelope {
  if (typeof payload !== 'object' || payload === null) return false;
  const { bytes, shared, transfer } = payload as Partial<Envelope>;
  return bytes instanceof ArrayBuffer && Array.isArray(shared) && Array.isArray(transfer);
}

class EnvelopeSource implements DecodeSource {
  constructor(private readonly envelope: Envelope) {}

  sharedAt(id: number): SharedArrayBuffer {
    const buffer = this.envelope.shared[id];
    if (!(buffer instanceof SharedArrayBuffer)) throw new InvalidArgumentError(`fearless: a value refers to shared buffer ${id}, which its envelope lacks`);
    return buffer;
  }

  transferredAt(index: number): ArrayBuffer {
    const buffer = this.envelope.transfer[index];
    if (!(buffer instanceof ArrayBuffer)) throw new InvalidArgumentError(`fearless: a value refers to moved buffer ${index}, which its envelope lacks`);
    return buffer;
  }
}

/** After a successful send: the moved handles are unusable here and leave the running task. */
export function commitMove(encoded: Pick<Encoded, 'moves'>): void {
  const task = currentTask();
  for (const handle of encoded.moves) {
    handle[moved]?.();
    task?.release(handle);
  }
}

/**
 * Commits a move before the send, for work that may wait in a queue: the sender's ArrayBuffers
 * are detached at once (their contents now belong to the returned envelope, which transfers
 * its own buffers when it is finally posted) and send-only handles are marked moved.
 */
export function handOver(encoded: Encoded): Encoded {
  let result = encoded;
  if (encoded.transfer.length > 0) {
    const payload = structuredClone(encoded.payload, { transfer: encoded.transfer });
    result = { payload, transfer: [...payload.transfer], moves: encoded.moves };
  }
  commitMove(encoded);
  return result;
}
