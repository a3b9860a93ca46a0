/**
 * A worker's mailbox: the shared memory through which a warm spawn reaches the worker and its
 * result comes back, with no structured clone on either side. Both sides of it are here: what
 * the main thread does (src/thread/workers.ts calls it) and what the worker does (src/worker/
 * main.ts for a task, src/worker/parking.ts while it waits).
 *
 * Why: a 'run' message is an object holding the envelope (a Uint8Array and two arrays), and
 * postMessage cloned and rebuilt it at ~6 µs per hop, most of what fearless added to a warm
 * spawn+join. When the arguments and the result are bytes alone (no SharedArrayBuffer, no
 * transferred buffer, no handle) and fit, they go through this buffer instead; the messages that
 * still travel are bare numbers (cheapest to clone). Anything else takes the 'run' message.
 *
 * Layout (Int32 words, then two byte regions):
 *   [STATE]         who has the mailbox, see below
 *   [JOB]           id of the job posted here
 *   [FUNCTION]      id of the job's function in the worker's registry
 *   [ARGS_LENGTH]   bytes of the encoded arguments at ARGS_AT
 *   [RESULT_LENGTH] bytes of the encoded result at RESULT_AT
 *   [ANSWERED_JOB]  id of the job whose result is at RESULT_AT
 *
 * The protocol. STATE says where the worker is; each move has one writer:
 *
 *   state     meaning                                          entered by
 *   BUSY      the worker runs a task                           worker: POSTED|MESSAGE → BUSY (takeJob)
 *   IDLE      the worker answered, or woke without a job       worker: BUSY → IDLE (markAnswered),
 *                                                                      PARKED|SPINNING|AWAKE → IDLE
 *   POSTED    a job is in the mailbox                          main: IDLE|PARKED|SPINNING → POSTED (postJob)
 *   MESSAGE   a 'run' message is on its way instead            main: any → MESSAGE (announceMessage)
 *   PARKED    the worker sleeps in Atomics.wait on STATE       worker: IDLE → PARKED (parking.ts)
 *   SPINNING  the worker polls STATE right after an answer     worker: IDLE → SPINNING (parking.ts)
 *   AWAKE     the worker is idle in its event loop, where      worker: IDLE → AWAKE (parking.ts)
 *             work a finished task left is pending
 *
 * Every contended move is an exchange or a compare-exchange, so a job is never posted twice nor
 * lost. The main thread posts to the mailbox only in IDLE, PARKED or SPINNING (an AWAKE worker
 * is in its event loop and gets a 'run' message, which wakes that loop), and notifies exactly
 * when its exchange replaced PARKED. A worker not parked yet finds POSTED when it tries to park
 * (its compare-exchange from IDLE fails) and takes the job then; a spinning one sees POSTED at
 * its next look.
 *
 * Order of writes. Main thread, posting: the argument bytes, ARGS_LENGTH, FUNCTION, JOB, then
 * the exchange to POSTED, which publishes them. Main thread, by message: the exchange to MESSAGE
 * before postMessage (the worker sets BUSY when it reads the message, which must not be
 * overwritten), the notify after it. Worker, answering: the result bytes, RESULT_LENGTH and
 * ANSWERED_JOB, then IDLE, then its answer message (the job id alone for a result here,
 * 'done'/'panic' otherwise). So once STATE says answered, ANSWERED_JOB names the job whose result
 * is here: the main thread may take a result before its message arrives (`resultHere`, used by
 * join()'s brief wait, src/thread/join-spin.ts) and must then ignore that message. Only the
 * worker writes ANSWERED_JOB, only for a result it left here, and job ids are never reused, so
 * an answer by message never looks like one here.
 * Each side decodes what it reads here before the other may write again (the decoder copies):
 * the worker its arguments before the task runs, the main thread the result before it posts
 * another job.
 *
 * Abort reads STATE too (src/thread/README.md, "Abort"): once the main thread has handed a job
 * over (POSTED or MESSAGE), only the worker leaves those states (to BUSY), and only the worker
 * turns BUSY into IDLE, just before it posts its answer; so IDLE, PARKED or SPINNING while a job
 * is current means the thread has answered (`hasAnswered`), and abort() leaves it alone. A new
 * state must keep that true (a "still running" state read as answered would make abort() do
 * nothing).
 *
 * Why park: an idle worker that waits for its next job in Atomics.wait is woken by one futex
 * wake; a worker idle in its event loop, by a message (a write to its event fd, a MessagePort
 * dispatch and an event object). How long it parks, when it spins and when it stays AWAKE is the
 * worker's policy: src/worker/parking.ts.
 */
import { decode, viewsOf, type DecodeSource, type Envelope, type ReadViews } from '../codec/index.js';
import { assertIsolated } from '#platform';

export const STATE = 0;
export const JOB = 1;
export const FUNCTION = 2;
export const ARGS_LENGTH = 3;
export const RESULT_LENGTH = 4;
export const ANSWERED_JOB = 5;

export const BUSY = 0;
export const IDLE = 1;
export const POSTED = 2;
export const PARKED = 3;
export const MESSAGE = 4;
export const SPINNING = 5;
/**
 * The worker is idle in its event loop, not parked: work a finished task left is pending there
 * (a timer, I/O). The main thread does not post to the mailbox then (it sends a 'run' message,
 * which wakes the event loop); the worker parks again once nothing is pending.
 */
export const AWAKE = 6;

/**
 * How many distinct functions (by caller and source) the main thread numbers before its table
 * starts over with fresh ids; the worker's table of compiled functions and its compile cache
 * are bounded by the same number and start over with it.
 */
export const MAX_FUNCTIONS = 4_096;

/** The process-wide count of workers spinning on their mailbox (one Int32, made on the main thread). */
export function spinnerCounter(): Int32Array {
  assertIsolated();
  return new Int32Array(new SharedArrayBuffer(4));
}

const HEADER_BYTES = 64;
/** Most bytes of arguments, and of a result, that travel through the mailbox. */
export const MAILBOX_CAPACITY = 16 * 1024;
export const ARGS_AT = HEADER_BYTES;
export const RESULT_AT = HEADER_BYTES + MAILBOX_CAPACITY;
export const MAILBOX_BYTES = HEADER_BYTES + 2 * MAILBOX_CAPACITY;

/** One side's views over a mailbox: its control words and the codec's views over all of it. */
export interface MailboxViews {
  readonly words: Int32Array;
  readonly views: ReadViews;
}

export function mailboxViews(buffer: SharedArrayBuffer): MailboxViews {
  return { words: new Int32Array(buffer, 0, ANSWERED_JOB + 1), views: viewsOf(new Uint8Array(buffer)) };
}

/** Whether an encoded value may travel here: bytes alone (no shared or moved buffer), and they fit. */
export function fitsMailbox(payload: Envelope): boolean {
  return payload.shared.length === 0 && payload.transfer.length === 0 && payload.bytes.byteLength <= MAILBOX_CAPACITY;
}

/** What is read from the mailbox is bytes alone (the senders check with fitsMailbox). */
const bytesOnly: DecodeSource = {
  sharedAt(id) {
    throw new Error(`fearless: a value read from the mailbox refers to shared buffer ${id}`);
  },
  transferredAt(index) {
    throw new Error(`fearless: a value read from the mailbox refers to moved buffer ${index}`);
  },
};

/** Decodes `length` bytes at `at`; `what` names them if the length is out of bounds. */
function read(mailbox: MailboxViews, at: number, length: number, what: string): unknown {
  if (length > MAILBOX_CAPACITY) throw new Error(`${what} ${length} bytes`);
  return decode(mailbox.views, at, bytesOnly);
}

// --- the main thread's side ---

/**
 * Puts job `id` (function `fn`, already compiled by the worker; arguments `args`, which fit) in
 * the mailbox if the worker may take it from there, and returns the state it replaced;
 * NOT_POSTED if it may not (BUSY, MESSAGE, POSTED or AWAKE): the job then needs a 'run' message.
 */
export function postJob(mailbox: MailboxViews, id: number, fn: number, args: ArrayBuffer): number {
  const words = mailbox.words;
  const state = Atomics.load(words, STATE);
  if (state !== IDLE && state !== PARKED && state !== SPINNING) return NOT_POSTED;
  mailbox.views.bytes.set(new Uint8Array(args), ARGS_AT);
  words[ARGS_LENGTH] = args.byteLength;
  words[FUNCTION] = fn;
  words[JOB] = id;
  // The exchange publishes the words above. A parked worker is woken; a spinning one sees
  // POSTED at its next look; one that is not parked yet finds it when it goes to park.
  const replaced = Atomics.exchange(words, STATE, POSTED);
  if (replaced === PARKED) Atomics.notify(words, STATE, 1);
  return replaced;
}

/** What `postJob` returns when the job needs a 'run' message; otherwise it returns the state it replaced (SPINNING: a hot hand-off). */
export const NOT_POSTED = -1;

/**
 * A 'run' message is about to be sent: marked first, so that the worker's BUSY (set when it
 * reads the message) is never overwritten. Returns the state it replaced, for `wakeAfterMessage`.
 */
export function announceMessage(mailbox: MailboxViews): number {
  return Atomics.exchange(mailbox.words, STATE, MESSAGE);
}

/** After the 'run' message was sent: a parked worker is woken and goes to its event loop, which has it. */
export function wakeAfterMessage(mailbox: MailboxViews, replaced: number): void {
  if (replaced === PARKED) Atomics.notify(mailbox.words, STATE, 1);
}

/** While a job is the worker's current job: whether the worker has answered it (see the module comment). */
export function hasAnswered(mailbox: MailboxViews): boolean {
  const state = Atomics.load(mailbox.words, STATE);
  return state === IDLE || state === PARKED || state === SPINNING;
}

/**
 * While job `id` is the worker's current job: whether the worker has answered it with a result
 * left here (see "Order of writes"); false while it runs, and for an answer by message.
 */
export function resultHere(mailbox: MailboxViews, id: number): boolean {
  return hasAnswered(mailbox) && mailbox.words[ANSWERED_JOB] === id;
}

/** The result the worker left for the job it just announced; decoded (copied) at once. */
export function readResult(mailbox: MailboxViews): unknown {
  return read(mailbox, RESULT_AT, Atomics.load(mailbox.words, RESULT_LENGTH), 'the mailbox says the result has');
}

/**
 * The worker exited. Stopped while spinning (a pool closed right after its last answer), it
 * could not give its share of the spinning budget back: the main thread does, never twice (the
 * worker leaves SPINNING before it gives its share back).
 */
export function releaseSpinner(mailbox: MailboxViews, spinners: Int32Array): void {
  if (Atomics.load(mailbox.words, STATE) === SPINNING) Atomics.sub(spinners, 0, 1);
}

// --- the worker's side (waiting is src/worker/parking.ts) ---

/** The worker takes the job posted here or announced by message. */
export function takeJob(mailbox: MailboxViews): void {
  Atomics.store(mailbox.words, STATE, BUSY);
}

/** The id of the job posted here (read once the worker took it). */
export function postedJob(mailbox: MailboxViews): number {
  return mailbox.words[JOB]!;
}

/** The id of the posted job's function in the worker's registry. */
export function postedFunction(mailbox: MailboxViews): number {
  return mailbox.words[FUNCTION]!;
}

/** The posted job's arguments, decoded (copied) before the task runs: the mailbox is free after. */
export function readArgs(mailbox: MailboxViews): unknown[] {
  return read(mailbox, ARGS_AT, mailbox.words[ARGS_LENGTH]!, 'fearless: the mailbox says the arguments have') as unknown[];
}

/** The result of running job `job`, which fits (see `fitsMailbox`); announced by `markAnswered` and a message. */
export function writeResult(mailbox: MailboxViews, job: number, bytes: ArrayBuffer): void {
  mailbox.views.bytes.set(new Uint8Array(bytes), RESULT_AT);
  Atomics.store(mailbox.words, RESULT_LENGTH, bytes.byteLength);
  Atomics.store(mailbox.words, ANSWERED_JOB, job);
}

/** The task is over: the mailbox is free. Written just before the answer is posted (see Abort). */
export function markAnswered(mailbox: MailboxViews): void {
  Atomics.store(mailbox.words, STATE, IDLE);
}
