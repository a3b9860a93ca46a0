/**
 * Every way a value crosses in fearless, each as `send(value) → what arrives`. The thread
 * paths share one echo thread per test file (started by `startEcho`).
 */
import { Arc, Mutex, RwLock, channel, move, spawn, type JoinHandle, type Receiver, type Sender } from 'fearless';

/* eslint-disable @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-assignment --
   values behind `any` are what the run-time checks are for: the types stop everything else */
/** Values of any shape: these tests send at run time what the types would refuse. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Untyped = any;

export interface Path {
  readonly name: string;
  /** Where a refusal on this path is said to happen. */
  readonly place: string;
  /** The path of the value inside what this path sends (an Arc holds it in a wrapper). */
  readonly prefix?: string;
  send(value: unknown): unknown;
}

/** A SharedArrayBuffer next to the value makes the channel park the message in the hub. */
const viaHub = (value: unknown): unknown[] => [value, new SharedArrayBuffer(8)];

function sameThread(hub: boolean): Path {
  return {
    name: hub ? 'channel through the hub, same thread' : 'channel, same thread',
    place: 'channel send',
    ...(hub ? { prefix: '[0]' } : {}),
    send(value: Untyped) {
      const [tx, rx] = channel<Untyped>();
      tx.send(hub ? viaHub(value) : value);
      const received = rx.tryRecv();
      if (!received.ok) throw new Error('nothing arrived');
      return hub ? (received.value as unknown[])[0] : received.value;
    },
  };
}

export interface Echo {
  readonly paths: readonly Path[];
  stop(): Promise<void>;
}

/** A thread that sends back what it receives: main → worker → main, as bytes and through the hub. */
export function startEcho(): Echo {
  const [toWorker, workerInbox] = channel<Untyped>();
  const [workerOutbox, fromWorker] = channel<Untyped>();
  const handle: JoinHandle<void> = spawn(move(workerInbox, workerOutbox), (inbox: Receiver<Untyped>, outbox: Sender<Untyped>) => {
    for (;;) {
      let value: unknown;
      try {
        value = inbox.recvSync();
      } catch {
        return;
      }
      outbox.send(value);
    }
  });
  const across = (hub: boolean): Path => ({
    name: hub ? 'channel through the hub, main → worker → main' : 'channel, main → worker → main',
    place: 'channel send',
    ...(hub ? { prefix: '[0]' } : {}),
    async send(value: Untyped) {
      toWorker.send(hub ? viaHub(value) : value);
      const back = await fromWorker.recv();
      return hub ? (back as unknown[])[0] : back;
    },
  });
  return {
    paths: [across(false), across(true)],
    async stop() {
      toWorker[Symbol.dispose]();
      await handle.join();
      fromWorker[Symbol.dispose]();
    },
  };
}

export const moveAndJoin: Path = {
  name: 'move + join',
  place: 'move() argument 1',
  send: (value: Untyped) => spawn(move(value), (arrived) => arrived).join(),
};

/** Each lock path reads the value twice: the second read sees what the first guard wrote back. */
export const localPaths: readonly Path[] = [
  sameThread(false),
  sameThread(true),
  {
    name: 'Mutex, constructed',
    place: 'Mutex value',
    send(value: Untyped) {
      const mutex = new Mutex(value);
      {
        using guard = mutex.lockSync();
        void guard.value;
      }
      using guard = mutex.lockSync();
      return guard.value;
    },
  },
  {
    name: 'Mutex, set through a guard',
    place: 'Mutex value',
    send(value: Untyped) {
      const mutex = new Mutex<Untyped>(0);
      {
        using guard = mutex.lockSync();
        guard.value = value;
      }
      using guard = mutex.lockSync();
      return guard.value;
    },
  },
  {
    name: 'RwLock, read',
    place: 'RwLock value',
    send(value: Untyped) {
      using guard = new RwLock(value).readSync();
      return guard.value;
    },
  },
  {
    name: 'Arc',
    place: 'Arc value',
    prefix: '.value',
    send: (value: Untyped) => new Arc({ value }).get().value,
  },
  {
    name: 'Arc<Map> entry',
    place: 'Arc value',
    prefix: '.get("entry")',
    send: (value: Untyped) => new Arc(new Map<string, Untyped>([['entry', value]])).get().get('entry'),
  },
];

export const threadPaths: readonly Path[] = [
  moveAndJoin,
  {
    name: 'Mutex read in another thread',
    place: 'Mutex value',
    send: (value: Untyped) =>
      // No `using` in a spawned closure: the test transform would lower it to outer helpers.
      spawn(move(new Mutex(value)), (mutex) => {
        const guard = mutex.lockSync();
        try {
          return guard.value;
        } finally {
          guard[Symbol.dispose]();
        }
      }).join(),
  },
];
