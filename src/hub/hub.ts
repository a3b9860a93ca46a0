/**
 * The hub: the main thread parks payloads that cannot travel as plain bytes (a channel message
 * holding handles, SharedArrayBuffers or ArrayBuffers to transfer) until the thread that reads
 * the message claims them. The byte stream carries only the ticket, so order is kept.
 *
 * Every worker has two dedicated MessagePorts to the main thread for this, so that:
 * - the main thread can claim synchronously, without its event loop: it drains the workers'
 *   stash ports with receiveMessageOnPort (a stash is posted before its ticket is written
 *   anywhere, so it is already queued when the ticket is read). Stashes have a port of their
 *   own that nothing listens to: on a listened port a runtime may already have taken a message
 *   off the channel for a 'message' event it has not dispatched yet (Deno does), and a drain
 *   would then miss a stash whose ticket is in hand;
 * - a worker claims synchronously by posting a request and sleeping on its `hubSignal` word,
 *   which the main thread raises after posting the reply. That needs the main thread's event
 *   loop to be free: never block the main thread while workers exchange such messages.
 *
 * A browser has no receiveMessageOnPort (`receivesSynchronously` false): a port's message is
 * there only once the receiving thread's event loop dispatched it. There a claim that cannot be
 * answered from what is on hand returns a `PendingClaim` (`claimLater`), which only the async
 * receives await (they yield to the event loop until the payload arrived): the page waits for the
 * worker's stash, which is on its way (posted before its ticket was written), and a worker waits
 * for the page's reply. The page answers a worker's claim only once the stash is there (a
 * worker-to-worker message's stash may still be in flight). Node's path is claimSync, unchanged.
 */
import type { TransferListItem } from 'node:worker_threads';
import { MessageChannel, receiveMessageOnPort, receivesSynchronously, type MessagePort } from '#platform';
import { InvalidArgumentError } from '../errors.js';
import { decodeEnvelope as decode, type Encoded } from '../codec/envelope.js';
import type { HubMessage } from '../wire/protocol.js';

type Claims = number | 'many';

interface Entry {
  payload: unknown;
  transfer: TransferListItem[];
  claims: Claims;
  /**
   * Main thread only: the payload still holds the sender's own ArrayBuffers (stashed with
   * `stashLive`), not detached yet. `handOverLive` (the send was published) or the first claim
   * transfers them; a retire leaves them to the sender, whole.
   */
  live?: boolean;
  /**
   * Main thread only: stashed by a send that has not committed yet (a rendezvous send waits
   * for the message to be taken before it commits). A receiver that goes away leaves such an
   * entry to its sender (`discardable`), which retires it and gets its value back whole.
   */
  held?: boolean;
}

/**
 * One counter for the whole process, in shared memory: tickets stay unique across threads, and
 * a worker that replaces a dead one in the same slot cannot reissue a ticket the dead one left
 * parked. Made on the main thread and handed to every worker (see `ticketCounter`).
 */
let tickets: Int32Array | undefined;

/** The main thread's counter, for the pool to give each worker it starts. */
export function ticketCounter(): Int32Array {
  // Made at the first use, not at load: a page without shared memory can still load fearless
  // and get FEARLESS_NOT_ISOLATED from the first call that needs it.
  return (tickets ??= new Int32Array(new SharedArrayBuffer(4)));
}

function nextTicket(): number {
  // 31 bits, never 0; wraps after 2^31 parks, long after any parked payload was claimed.
  return ((Atomics.add(tickets ?? ticketCounter(), 0, 1) + 1) & 0x7fffffff) || 1;
}

function checkClaims(claims: Claims): void {
  if (claims !== 'many' && !(Number.isInteger(claims) && claims > 0)) {
    throw new InvalidArgumentError(`hub.stash(): claims must be a positive integer or 'many', got ${String(claims)}`);
  }
}

// ---------------------------------------------------------------- main thread side

const entries = new Map<number, Entry>();
interface WorkerPorts {
  /** Claims and retires, served by its 'message' listener; replies go back on it. */
  readonly port: MessagePort;
  /** Stashes only: never listened to, read by `drain` alone. */
  readonly stashes: MessagePort;
  readonly signal: Int32Array;
}
const workerPorts = new Map<number, WorkerPorts>();

/** The pool registers each worker's hub port as it starts it; the stash port is sent on it first. */
export function registerWorkerHub(slot: number, port: MessagePort, signal: Int32Array): void {
  const { port1: stashes, port2: workerEnd } = new MessageChannel();
  port.postMessage({ type: 'stash-port', port: workerEnd } satisfies HubMessage, [workerEnd]);
  workerPorts.set(slot, { port, stashes, signal });
  port.on('message', (message: HubMessage) => onWorkerMessage(slot, message));
  port.unref();
  stashes.unref();
}

export function unregisterWorkerHub(slot: number): void {
  const entry = workerPorts.get(slot);
  if (entry === undefined) return;
  drain(slot, entry);
  entry.port.close();
  entry.stashes.close();
  workerPorts.delete(slot);
}

function onWorkerMessage(slot: number, message: HubMessage): void {
  switch (message.type) {
    case 'stash':
      entries.set(message.ticket, { payload: message.payload, transfer: transferables(message.payload), claims: message.claims });
      break;
    case 'claim':
      if (!receivesSynchronously) {
        answerWhenStashed(slot, message.ticket, performance.now() + STASH_PATIENCE_MS);
        break;
      }
      // Another worker's stash may still sit in its port (ports are served in no set order);
      // it was posted before its ticket went anywhere, so after a drain a miss is final.
      if (!entries.has(message.ticket)) drainAll();
      answer(slot, message.ticket);
      break;
    case 'retire':
      // The stash may come from another worker whose port was not served yet: without this
      // drain it would arrive after its retire and stay parked forever.
      if (!entries.has(message.ticket)) drainAll();
      entries.delete(message.ticket);
      break;
    case 'reply':
    case 'stash-port':
      break;
  }
}

/** Reply to a worker's claim, then wake it (it sleeps on its signal word in claimSync). */
function answer(slot: number, ticket: number): void {
  const worker = workerPorts.get(slot);
  if (worker === undefined) return;
  let taken: ReturnType<typeof take>;
  try {
    taken = take(ticket);
  } catch (error) {
    taken = { ok: false, error: `hub ticket ${ticket} could not be copied: ${String(error)}` };
  }
  if (taken.ok) worker.port.postMessage({ type: 'reply', ticket, payload: taken.payload, error: undefined } satisfies HubMessage, taken.transfer);
  else worker.port.postMessage({ type: 'reply', ticket, payload: undefined, error: taken.error } satisfies HubMessage);
  Atomics.store(worker.signal, 0, 1);
  Atomics.notify(worker.signal, 0); // wakes the worker blocked in claimSync
}

/** Browser: how long the page waits for a stash whose ticket it holds before calling it unknown. */
const STASH_PATIENCE_MS = 30_000;

/** A macrotask later: the event loop dispatches the ports' messages meanwhile. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Browser, main thread: the stash under `ticket` was posted before its ticket was written, so it
 * arrives; answer the worker's claim once it is here (or once patience ran out: unknown).
 */
function answerWhenStashed(slot: number, ticket: number, deadline: number): void {
  if (!entries.has(ticket)) drainAll();
  if (entries.has(ticket) || performance.now() > deadline || !workerPorts.has(slot)) answer(slot, ticket);
  else void nextTask().then(() => answerWhenStashed(slot, ticket, deadline));
}

function take(ticket: number): { ok: true; payload: unknown; transfer: TransferListItem[] } | { ok: false; error: string } {
  const entry = entries.get(ticket);
  if (entry === undefined) return { ok: false, error: `hub ticket ${ticket} is unknown (already claimed or retired)` };
  if (entry.live === true) handOverEntry(entry);
  if (entry.claims === 'many') return { ok: true, payload: structuredClone(entry.payload), transfer: [] };
  entry.claims -= 1;
  if (entry.claims <= 0) {
    entries.delete(ticket);
    return { ok: true, payload: entry.payload, transfer: entry.transfer };
  }
  return { ok: true, payload: structuredClone(entry.payload), transfer: [] };
}

/** Process what a worker has posted to the hub, without waiting for the event loop. */
function drain(slot: number, { stashes, port }: WorkerPorts): void {
  for (const from of [stashes, port]) {
    for (let received = receiveMessageOnPort(from); received !== undefined; received = receiveMessageOnPort(from)) {
      onWorkerMessage(slot, received.message as HubMessage);
    }
  }
}

function drainAll(): void {
  for (const [slot, ports] of workerPorts) drain(slot, ports);
}

/** The ArrayBuffers inside a payload that arrived here, to pass them on without a copy. */
export function transferables(payload: unknown): TransferListItem[] {
  const found: TransferListItem[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    if (value instanceof ArrayBuffer) found.push(value);
    else if (ArrayBuffer.isView(value)) {
      if (value.buffer instanceof ArrayBuffer && !seen.has(value.buffer)) {
        seen.add(value.buffer);
        found.push(value.buffer);
      }
    } else if (value instanceof Map) {
      for (const [key, item] of value) {
        visit(key);
        visit(item);
      }
    }
    else if (value instanceof Set || Array.isArray(value)) for (const item of value as Iterable<unknown>) visit(item);
    else for (const item of Object.values(value)) visit(item);
  };
  visit(payload);
  return found;
}

// ---------------------------------------------------------------- worker side

let worker: { port: MessagePort; stashes: MessagePort; signal: Int32Array; replies: Map<number, HubMessage & { type: 'reply' }> } | undefined;

/** Called once by the worker bootstrap. */
export function attachWorkerHub(port: MessagePort, signal: Int32Array, counter: Int32Array): void {
  // The main thread posts the stash port right after starting this worker, usually long before
  // this runs; the short sleeps only cover a bootstrap faster than that post.
  let first = receiveMessageOnPort(port);
  while (first === undefined) {
    Atomics.wait(signal, 0, 0, 1);
    first = receiveMessageOnPort(port);
  }
  const message = first.message as HubMessage;
  if (message.type !== 'stash-port') throw new Error(`fearless hub: expected the stash port first, got '${message.type}'`);
  worker = { port, stashes: message.port, signal, replies: new Map() };
  tickets = counter;
}

const NO_REPLY: unique symbol = Symbol('no reply');

/** A worker: the decoded reply to its claim of `ticket` if the main thread's reply is here. */
function replyTo(ticket: number, replies: Map<number, HubMessage & { type: 'reply' }>): unknown {
  workerReceive();
  const reply = replies.get(ticket);
  if (reply === undefined) return NO_REPLY;
  replies.delete(ticket);
  if (reply.error !== undefined) throw new InvalidArgumentError(reply.error);
  return decode(reply.payload);
}

function workerReceive(): void {
  if (worker === undefined) return;
  for (let received = receiveMessageOnPort(worker.port); received !== undefined; received = receiveMessageOnPort(worker.port)) {
    const message = received.message as HubMessage;
    if (message.type === 'reply') worker.replies.set(message.ticket, message);
  }
}

// ---------------------------------------------------------------- the API, from any thread

/**
 * A ticket for a payload stashed later with `stash(encoded, 1, ticket)`: a channel stashes its
 * message only once the ring has admitted it (under the producer lock), so that a refused send
 * moves nothing, yet the ticket must be known before.
 */
export function reserveTicket(): number {
  return nextTicket();
}

/**
 * Main thread: park `encoded` under `ticket` without detaching the sender's ArrayBuffers yet
 * (see Entry.live). The caller calls `handOverLive` once the message is published for good.
 */
export function stashLive(encoded: Encoded, ticket: number): void {
  entries.set(ticket, { payload: encoded.payload, transfer: encoded.transfer, claims: 1, live: encoded.transfer.length > 0, held: true });
}

/** Main thread: the message stashed live under `ticket` is sent: detach the sender's buffers now. */
export function handOverLive(ticket: number): void {
  const entry = entries.get(ticket);
  if (entry === undefined) return;
  entry.held = false;
  if (entry.live === true) handOverEntry(entry);
}

/** Main thread: false while the sender of the message under `ticket` has not committed it (see Entry.held). */
export function discardable(ticket: number): boolean {
  return worker !== undefined || entries.get(ticket)?.held !== true;
}

function handOverEntry(entry: Entry): void {
  const payload = structuredClone(entry.payload as { transfer: ArrayBuffer[] }, { transfer: entry.transfer as ArrayBuffer[] });
  entry.payload = payload;
  entry.transfer = [...payload.transfer];
  entry.live = false;
}

/** Park `encoded` for `claims` claims (or until `retire` for 'many'); returns its ticket. */
export function stash(encoded: Encoded, claims: Claims = 1, ticket = nextTicket()): number {
  checkClaims(claims);
  if (worker === undefined) {
    entries.set(ticket, { payload: encoded.payload, transfer: encoded.transfer, claims });
  } else {
    worker.stashes.postMessage({ type: 'stash', ticket, payload: encoded.payload, claims } satisfies HubMessage, encoded.transfer);
  }
  return ticket;
}

/** Claim a parked payload, decoded (handles revived). Blocks a worker until the main thread answers. */
const unsupportedInBrowser =
  'fearless: in a browser, a worker cannot take a message whose handles, SharedArrayBuffers or ArrayBuffers were parked on the page while it blocks (the reply needs its event loop): receive it with await recv(), for await or await select(), or move them into spawn(...)';

export function claimSync(ticket: number): unknown {
  if (worker === undefined) {
    if (!entries.has(ticket)) drainAll();
    const taken = take(ticket);
    if (!taken.ok) throw new InvalidArgumentError(taken.error);
    return decode(taken.payload);
  }
  // A browser worker cannot take the reply off its port while it waits for it (no
  // receiveMessageOnPort): it would wait forever. Said at once instead.
  if (!receivesSynchronously) throw new Error(unsupportedInBrowser);
  const { port, signal, replies } = worker;
  Atomics.store(signal, 0, 0);
  port.postMessage({ type: 'claim', ticket } satisfies HubMessage);
  for (;;) {
    const reply = replyTo(ticket, replies);
    if (reply !== NO_REPLY) return reply;
    // Sleeps until the main thread has posted a reply (it raises the signal after posting).
    Atomics.wait(signal, 0, 0);
    Atomics.store(signal, 0, 0);
  }
}

/**
 * Browser only: a claim whose payload is not on this thread yet. The async receives await
 * `promise` (the decoded value); a blocking or immediate receive cannot and throws
 * (`claimedNow`). Invariant: never made where `receivesSynchronously` (Node claims with claimSync).
 */
export class PendingClaim {
  constructor(readonly promise: Promise<unknown>) {}
}

/**
 * Browser: the decoded payload when it is on hand (the page holds it, or drains its stash from
 * the queue), else a PendingClaim that resolves once the event loop has brought it.
 */
export function claimLater(ticket: number): unknown {
  if (worker === undefined) {
    if (!entries.has(ticket)) drainAll();
    if (entries.has(ticket)) return claimSync(ticket);
    return new PendingClaim(stashArrives(ticket, performance.now() + STASH_PATIENCE_MS).then(() => claimSync(ticket)));
  }
  const { port, replies } = worker;
  port.postMessage({ type: 'claim', ticket } satisfies HubMessage);
  return new PendingClaim(replyArrives(ticket, replies));
}

async function stashArrives(ticket: number, deadline: number): Promise<void> {
  while (!entries.has(ticket) && performance.now() < deadline) {
    await nextTask();
    drainAll();
  }
}

async function replyArrives(ticket: number, replies: Map<number, HubMessage & { type: 'reply' }>): Promise<unknown> {
  for (;;) {
    const reply = replyTo(ticket, replies);
    if (reply !== NO_REPLY) return reply;
    await nextTask();
  }
}

/**
 * What a channel's receive claims with: claimSync itself where ports are read synchronously
 * (Node: the same function, no added step), claimLater in a browser.
 */
export const claimForReceive: (ticket: number) => unknown = receivesSynchronously ? claimSync : claimLater;

/** Claim without blocking the main thread's event loop (in a worker it waits for the main thread's reply). */
export function claim(ticket: number): Promise<unknown> {
  return new Promise((resolve) => resolve(claimSync(ticket)));
}

/** Free a parked payload nobody will claim (a dropped message) or a 'many' one. */
export function retire(ticket: number): void {
  if (worker === undefined) {
    entries.delete(ticket);
    drainAll();
    entries.delete(ticket);
  } else {
    worker.port.postMessage({ type: 'retire', ticket } satisfies HubMessage);
  }
}

/** For tests and diagnostics: how many payloads the main thread holds. */
export function parkedCount(): number {
  drainAll();
  return entries.size;
}
