/**
 * The channel lifecycle against a simple in-memory model (issue 20, the method): random command
 * sequences — create (unbounded, bounded, rendezvous; a create after closes reuses memory), send,
 * trySend, an async send that waits, recv, select, clone of either end, close of either end,
 * a worker thread that sends or receives on its own clone — each checked against what the
 * model says: every message reaches exactly the channel it was sent on, once, in order; a
 * refused send gives the value back whole (buffers attached, handles usable); a pending send
 * settles the way the model says, within a bounded wait (a hang fails the run).
 *
 * Fixed seed and few runs in `npm test`; `npm run fuzz` runs it long (FEARLESS_FUZZ_RUNS).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecvError, type Receiver, SendError, type Sender, type SyncSender, channel, move, select, spawn, syncChannel } from 'fearless';
import { runs, timeout } from '../codec/settings.js';
import { within } from './within.js';

type Kind = 'unbounded' | 'bounded' | 'rendezvous';
const BOUND = 2;

/** A message: an object (with bytes that move through the hub, or without), or a bare number (the number records and the solo-sender path). */
type Parcel = { readonly n: number; readonly bytes?: Uint8Array } | number;

/** The message's sequence number. */
function nOf(parcel: Parcel): number {
  return typeof parcel === 'number' ? parcel : parcel.n;
}

/** How a command's message is made: 0 an object, 1 an object with bytes, 2 a bare number. */
type Form = 0 | 1 | 2;

interface ChannelModel {
  readonly kind: Kind;
  queue: number[];
  senders: number;
  receivers: number;
  /**
   * The value of the async send still waiting on this channel (one at a time). A bounded one
   * waits for room (not in `queue` yet); a rendezvous one is in `queue` until taken.
   */
  pending: number | undefined;
}

interface Pending {
  readonly value: Parcel;
  settled: 'no' | 'ok' | 'error';
  error: unknown;
  readonly promise: Promise<void>;
}

interface ChannelReal {
  readonly senders: Array<Sender<Parcel> | SyncSender<Parcel> | undefined>;
  readonly receivers: Array<Receiver<Parcel> | undefined>;
  pending: Pending | undefined;
  /** Which sender runs the pending send (it stays open in this model). */
  pendingSender: number;
}

interface Model {
  channels: ChannelModel[];
  next: number;
}

interface Real {
  channels: ChannelReal[];
}

const capacity = (kind: Kind): number => (kind === 'unbounded' ? Number.POSITIVE_INFINITY : kind === 'bounded' ? BOUND : 1);

function parcel(n: number, form: Form): Parcel {
  return form === 1 ? { n, bytes: new Uint8Array(new ArrayBuffer(8)).fill(n & 0xff) } : form === 2 ? n : { n };
}

/** The channel a command works on: one with a handle still open (closed ones only wait to be reused). */
function pick(model: Readonly<Model>, which: number): number | undefined {
  const open = model.channels.flatMap((state, index) => (state.senders + state.receivers > 0 ? [index] : []));
  return open.length === 0 ? undefined : open[which % open.length];
}


const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function live<T>(list: ReadonlyArray<T | undefined>, pick: number): [T, number] | undefined {
  const open = list.flatMap((item, index) => (item === undefined ? [] : [index]));
  if (open.length === 0) return undefined;
  const index = open[pick % open.length]!;
  return [list[index]!, index];
}

/**
 * After every command: a pending send the model says has completed (room appeared, or its
 * message was taken) or failed (the receiver went) must settle that way, within a bounded wait.
 */
async function settle(model: Model, real: Real): Promise<void> {
  for (const [index, state] of model.channels.entries()) {
    const pending = real.channels[index]!.pending;
    if (pending === undefined || state.pending === undefined) continue;
    if (state.receivers === 0) {
      await within(pending.promise, 'a pending send after the receiver went');
      expect(pending.settled).toBe('error');
      expect(pending.error).toBeInstanceOf(SendError);
      // Refused: the value comes back whole (a rendezvous message never taken included).
      if (typeof pending.value !== 'number' && pending.value.bytes !== undefined) expect(pending.value.bytes.byteLength).toBe(8);
      state.pending = undefined;
      real.channels[index]!.pending = undefined;
      continue;
    }
    if (state.kind === 'bounded' && state.queue.length < BOUND) {
      await within(pending.promise, 'a bounded send once there is room');
      expect(pending.settled).toBe('ok');
      state.queue.push(state.pending);
      state.pending = undefined;
      real.channels[index]!.pending = undefined;
      continue;
    }
    if (state.kind === 'rendezvous' && !state.queue.includes(state.pending)) {
      await within(pending.promise, 'a rendezvous send once its message was taken');
      expect(pending.settled).toBe('ok');
      state.pending = undefined;
      real.channels[index]!.pending = undefined;
      continue;
    }
    // Still waiting, as the model says: give it a chance to (wrongly) settle, then check.
    await turn();
    expect(pending.settled).toBe('no');
  }
}

type Command = fc.AsyncCommand<Model, Real>;

class Create implements Command {
  constructor(readonly kind: Kind) {}
  check(model: Readonly<Model>): boolean {
    return model.channels.filter((state) => state.senders + state.receivers > 0).length < 3;
  }
  async run(model: Model, real: Real): Promise<void> {
    const [tx, rx] = this.kind === 'unbounded' ? channel<Parcel>() : syncChannel<Parcel>(this.kind === 'bounded' ? BOUND : 0);
    // A channel made after closes may reuse their memory: it starts empty and open.
    expect(rx.tryRecv()).toEqual({ ok: false, disconnected: false });
    model.channels.push({ kind: this.kind, queue: [], senders: 1, receivers: 1, pending: undefined });
    real.channels.push({ senders: [tx], receivers: [rx], pending: undefined, pendingSender: -1 });
    await settle(model, real);
  }
  toString(): string {
    return `create(${this.kind})`;
  }
}

/** send (unbounded) or trySend (bounded, rendezvous), checked against the model; refusals give the value back. */
class TrySend implements Command {
  constructor(
    readonly channel: number,
    readonly sender: number,
    readonly form: Form,
  ) {}
  check(model: Readonly<Model>): boolean {
    return model.channels.length > 0;
  }
  async run(model: Model, real: Real): Promise<void> {
    const index = pick(model, this.channel);
    if (index === undefined) return;
    const state = model.channels[index]!;
    const found = live(real.channels[index]!.senders, this.sender);
    if (found === undefined) return;
    const [tx] = found;
    const value = parcel(model.next++, this.form);
    let outcome: boolean | 'refused';
    try {
      outcome = 'trySend' in tx ? tx.trySend(value) : (tx.send(value), true);
    } catch (error) {
      expect(error).toBeInstanceOf(SendError);
      expect((error as SendError<Parcel>).value).toBe(value);
      outcome = 'refused';
    }
    const room = state.queue.length < capacity(state.kind);
    if (state.receivers === 0) {
      expect(outcome).toBe('refused');
    } else if (state.kind === 'rendezvous') {
      // No recv() waits in this model, but a select's wait that lost its race stays announced
      // (select-wait.ts): a rendezvous trySend may then publish, when the ring is empty.
      expect(outcome === false || (outcome === true && room)).toBe(true);
      if (outcome === true) state.queue.push(nOf(value));
    } else {
      expect(outcome).toBe(room);
      if (room) state.queue.push(nOf(value));
    }
    if (typeof value !== 'number' && value.bytes !== undefined) expect(value.bytes.byteLength).toBe(outcome === true ? 0 : 8);
    await settle(model, real);
  }
  toString(): string {
    return `trySend(#${this.channel}, tx${this.sender}${['', ', bytes', ', number'][this.form]})`;
  }
}

/** An async send on a bounded or rendezvous channel: it may wait (one at a time per channel). */
class SendAsync implements Command {
  constructor(
    readonly channel: number,
    readonly sender: number,
    readonly form: Form,
  ) {}
  check(model: Readonly<Model>): boolean {
    return model.channels.length > 0;
  }
  async run(model: Model, real: Real): Promise<void> {
    const index = pick(model, this.channel);
    if (index === undefined) return;
    const state = model.channels[index]!;
    const channelReal = real.channels[index]!;
    if (state.kind === 'unbounded' || state.pending !== undefined || state.receivers === 0) return;
    // A rendezvous send starts only onto an empty ring (so its message is queued at once).
    if (state.kind === 'rendezvous' && state.queue.length > 0) return;
    const found = live(channelReal.senders, this.sender);
    if (found === undefined) return;
    const tx = found[0] as SyncSender<Parcel>;
    const value = parcel(model.next++, this.form);
    const pending: Pending = {
      value,
      settled: 'no',
      error: undefined,
      promise: tx.send(value).then(
        () => {
          pending.settled = 'ok';
        },
        (error: unknown) => {
          pending.settled = 'error';
          pending.error = error;
        },
      ),
    };
    channelReal.pending = pending;
    channelReal.pendingSender = found[1];
    state.pending = nOf(value);
    // A rendezvous send publishes at once onto an empty ring (it holds one message).
    if (state.kind === 'rendezvous') state.queue.push(nOf(value));
    await settle(model, real);
  }
  toString(): string {
    return `send(#${this.channel}, tx${this.sender}${['', ', bytes', ', number'][this.form]})`;
  }
}

/** A receive through tryRecv, recv() or select over every open receiver. */
class Recv implements Command {
  constructor(
    readonly channel: number,
    readonly receiver: number,
    readonly how: 'tryRecv' | 'recv' | 'select',
  ) {}
  check(model: Readonly<Model>): boolean {
    return model.channels.length > 0;
  }
  async run(model: Model, real: Real): Promise<void> {
    if (this.how === 'select') return this.select(model, real);
    const index = pick(model, this.channel);
    if (index === undefined) return;
    const state = model.channels[index]!;
    const found = live(real.channels[index]!.receivers, this.receiver);
    if (found === undefined) return;
    const [rx] = found;
    const ended = state.queue.length === 0 && state.senders === 0;
    if (this.how === 'recv' && state.queue.length === 0 && !ended) return; // would wait: not modelled here
    let got: { ok: true; value: Parcel } | { ok: false; disconnected: boolean };
    if (this.how === 'tryRecv') {
      got = rx.tryRecv();
    } else {
      try {
        got = { ok: true, value: await within(rx.recv(), 'recv() with a message queued') };
      } catch (error) {
        expect(error).toBeInstanceOf(RecvError);
        got = { ok: false, disconnected: true };
      }
    }
    if (state.queue.length === 0) {
      expect(got).toEqual({ ok: false, disconnected: ended });
    } else {
      expect(got.ok).toBe(true);
      const value = (got as { value: Parcel }).value;
      expect(nOf(value)).toBe(state.queue.shift());
      if (typeof value !== 'number' && value.bytes !== undefined) expect(value.bytes[7]).toBe(value.n & 0xff);
    }
    await settle(model, real);
  }
  async select(model: Model, real: Real): Promise<void> {
    const receivers: Array<[Receiver<Parcel>, number]> = [];
    for (const [index, channelReal] of real.channels.entries()) {
      for (const rx of channelReal.receivers) if (rx !== undefined) receivers.push([rx, index]);
    }
    const ready = (index: number): boolean => model.channels[index]!.queue.length > 0 || model.channels[index]!.senders === 0;
    if (receivers.length === 0 || !receivers.some(([, index]) => ready(index))) return;
    const picked = await within(
      select(receivers.map(([rx]) => rx)),
      'select with a receiver ready',
    );
    const index = receivers[picked.index]![1];
    const state = model.channels[index]!;
    expect(ready(index)).toBe(true);
    if (picked.ok) {
      expect(nOf(picked.value)).toBe(state.queue.shift());
    } else {
      expect(state.queue.length).toBe(0);
      expect(state.senders).toBe(0);
    }
    await settle(model, real);
  }
  toString(): string {
    return `${this.how}(#${this.channel}, rx${this.receiver})`;
  }
}

class Clone implements Command {
  constructor(
    readonly channel: number,
    readonly end: 'sender' | 'receiver',
    readonly which: number,
  ) {}
  check(model: Readonly<Model>): boolean {
    return model.channels.length > 0;
  }
  async run(model: Model, real: Real): Promise<void> {
    const index = pick(model, this.channel);
    if (index === undefined) return;
    const channelReal = real.channels[index]!;
    if (this.end === 'sender') {
      const found = live(channelReal.senders, this.which);
      if (found === undefined) return;
      channelReal.senders.push(found[0].clone());
      model.channels[index]!.senders++;
    } else {
      const found = live(channelReal.receivers, this.which);
      if (found === undefined) return;
      channelReal.receivers.push(found[0].clone());
      model.channels[index]!.receivers++;
    }
    await settle(model, real);
  }
  toString(): string {
    return `clone(#${this.channel}, ${this.end} ${this.which})`;
  }
}

class Close implements Command {
  constructor(
    readonly channel: number,
    readonly end: 'sender' | 'receiver',
    readonly which: number,
  ) {}
  check(model: Readonly<Model>): boolean {
    return model.channels.length > 0;
  }
  async run(model: Model, real: Real): Promise<void> {
    const index = pick(model, this.channel);
    if (index === undefined) return;
    const state = model.channels[index]!;
    const channelReal = real.channels[index]!;
    if (this.end === 'sender') {
      const found = live(channelReal.senders, this.which);
      if (found === undefined) return;
      // The sender of a waiting send stays open in this model (closing it under its own send
      // is covered by channel-reuse.test.ts).
      if (state.pending !== undefined && found[1] === channelReal.pendingSender) return;
      found[0].close();
      channelReal.senders[found[1]] = undefined;
      state.senders--;
    } else {
      const found = live(channelReal.receivers, this.which);
      if (found === undefined) return;
      found[0].close();
      channelReal.receivers[found[1]] = undefined;
      state.receivers--;
      // The last receiver takes the queued messages with it.
      if (state.receivers === 0) state.queue = [];
    }
    await settle(model, real);
  }
  toString(): string {
    return `close(#${this.channel}, ${this.end} ${this.which})`;
  }
}

/** A worker thread sends on a clone of a sender (unbounded, or as many as there is room for) and ends. */
class WorkerSends implements Command {
  constructor(
    readonly channel: number,
    readonly count: number,
  ) {}
  check(model: Readonly<Model>): boolean {
    return model.channels.length > 0;
  }
  async run(model: Model, real: Real): Promise<void> {
    const index = pick(model, this.channel);
    if (index === undefined) return;
    const state = model.channels[index]!;
    const found = live(real.channels[index]!.senders, 0);
    if (found === undefined || state.receivers === 0 || state.kind === 'rendezvous' || state.pending !== undefined) return;
    const count = Math.min(this.count, capacity(state.kind) - state.queue.length);
    const first = model.next;
    model.next += count;
    const tx = found[0].clone();
    const sent = spawn(move(tx, first, count), (tx, first, count) => {
      for (let n = first; n < first + count; n++) {
        if ('trySend' in tx) {
          if (!tx.trySend({ n })) throw new Error(`no room for ${n}`);
        } else if (n % 2 === 0) {
          tx.send({ n, bytes: new Uint8Array(new ArrayBuffer(8)).fill(n & 0xff) });
        } else {
          // Bare numbers too: a worker alone with its clone takes the solo path.
          tx.send(n);
        }
      }
    });
    await within(sent.join(), 'a worker sending');
    for (let n = first; n < first + count; n++) state.queue.push(n);
    await settle(model, real);
  }
  toString(): string {
    return `worker sends ${this.count} on #${this.channel}`;
  }
}

/** A worker thread receives (at most `count`, without waiting) on a clone of a receiver. */
class WorkerReceives implements Command {
  constructor(
    readonly channel: number,
    readonly count: number,
  ) {}
  check(model: Readonly<Model>): boolean {
    return model.channels.length > 0;
  }
  async run(model: Model, real: Real): Promise<void> {
    const index = pick(model, this.channel);
    if (index === undefined) return;
    const state = model.channels[index]!;
    const found = live(real.channels[index]!.receivers, 0);
    if (found === undefined) return;
    const rx = found[0].clone();
    state.receivers++;
    const received = await within(
      spawn(move(rx, this.count), (rx, count) => {
        const got: number[] = [];
        for (let taken = 0; taken < count; taken++) {
          const result = rx.tryRecv();
          if (!result.ok) break;
          got.push(typeof result.value === 'number' ? result.value : result.value.n);
        }
        return got;
      }).join(),
      'a worker receiving',
    );
    // The clone ended with its task: one receiver fewer again.
    state.receivers--;
    // A bounded send waiting on the main thread may publish while the worker receives (the
    // room the worker makes wakes it): the worker may then take that message too.
    const waiting = state.kind === 'bounded' ? state.pending : undefined;
    const expected = waiting === undefined ? state.queue : [...state.queue, waiting];
    expect(received).toEqual(expected.slice(0, received.length));
    expect(received.length).toBeGreaterThanOrEqual(Math.min(this.count, state.queue.length));
    if (waiting !== undefined && received.includes(waiting)) {
      const pending = real.channels[index]!.pending!;
      await within(pending.promise, 'a bounded send whose message a worker took');
      expect(pending.settled).toBe('ok');
      state.pending = undefined;
      real.channels[index]!.pending = undefined;
      state.queue = [];
    } else {
      state.queue.splice(0, received.length);
    }
    await settle(model, real);
  }
  toString(): string {
    return `worker receives ${this.count} on #${this.channel}`;
  }
}

const index = fc.nat({ max: 7 });
const create = fc.constantFrom<Kind>('unbounded', 'bounded', 'rendezvous').map((kind) => new Create(kind));
const commands = [
  create,
  create,
  fc.tuple(index, index, fc.constantFrom<Form>(0, 1, 2)).map(([channel, sender, form]) => new TrySend(channel, sender, form)),
  fc.tuple(index, index, fc.constantFrom<Form>(0, 1, 2)).map(([channel, sender, form]) => new SendAsync(channel, sender, form)),
  fc.tuple(index, index, fc.constantFrom<'tryRecv' | 'recv' | 'select'>('tryRecv', 'recv', 'select')).map(([channel, receiver, how]) => new Recv(channel, receiver, how)),
  fc.tuple(index, index, fc.constantFrom<'tryRecv' | 'recv' | 'select'>('tryRecv', 'recv', 'select')).map(([channel, receiver, how]) => new Recv(channel, receiver, how)),
  fc.tuple(index, fc.constantFrom<'sender' | 'receiver'>('sender', 'receiver'), index).map(([channel, end, which]) => new Clone(channel, end, which)),
  fc.tuple(index, fc.constantFrom<'sender' | 'receiver'>('sender', 'receiver'), index).map(([channel, end, which]) => new Close(channel, end, which)),
];
const workerCommands = [
  fc.tuple(index, fc.integer({ min: 1, max: 3 })).map(([channel, count]) => new WorkerSends(channel, count)),
  fc.tuple(index, fc.integer({ min: 1, max: 3 })).map(([channel, count]) => new WorkerReceives(channel, count)),
];

/** Closes whatever a run left open, so pending sends end and nothing leaks into the next run. */
async function closeAll(real: Real): Promise<void> {
  for (const channelReal of real.channels) {
    for (const handle of [...channelReal.senders, ...channelReal.receivers]) handle?.close();
    if (channelReal.pending !== undefined) await within(channelReal.pending.promise, 'a pending send once everything closed');
  }
}

async function runModel(list: Iterable<Command>): Promise<void> {
  const real: Real = { channels: [] };
  try {
    await fc.asyncModelRun(() => ({ model: { channels: [], next: 1 }, real }), list);
  } finally {
    await closeAll(real);
  }
}

describe('the channel lifecycle against a model', () => {
  it(
    'on the main thread: create, send, trySend, waiting sends, recv, select, clone, close, reuse',
    async () => {
      await fc.assert(fc.asyncProperty(fc.commands(commands, { maxCommands: 40, size: 'max' }), runModel), runs(60));
    },
    timeout,
  );

  it(
    'with worker threads sending and receiving on clones',
    async () => {
      await fc.assert(fc.asyncProperty(fc.commands([...commands, ...workerCommands], { maxCommands: 25, size: 'max' }), runModel), runs(12));
    },
    timeout,
  );
});
