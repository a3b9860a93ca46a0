/**
 * The platform in a browser (the `browser` condition of the package's `#platform` import): the
 * names node.ts re-exports from `node:` modules, made from what a page and a module Web Worker
 * have. Nothing here imports a `node:` module. What a browser cannot do is a stand-in that says so
 * (no file system, no `require`, no loader hooks) or a no-op (timers cannot be unref'd: a page
 * never exits).
 *
 * - Workers: `Worker` wraps a module Web Worker in the few members of worker_threads' Worker the
 *   runtime uses (`on`, `postMessage`, `ref`/`unref`, `terminate`); `workerData` and the
 *   transfer list travel in the first message, which the worker awaits before anything else runs
 *   (`receiveWorkerData`, called by the browser worker text's entry).
 * - Ports: `MessagePort` gets `on`/`once`/`off`/`ref`/`unref` (non-enumerable, only where
 *   missing), and `receiveMessageOnPort` reads what a port's listener queued. A browser cannot
 *   take a message off a port synchronously: a message is there only once the event loop has
 *   dispatched it (see the README, "Runtimes").
 * - `process`: a small object with what the runtime reads (`versions`, `execArgv`, `env`,
 *   `cwd`, `emitWarning`, `on` for uncaught errors, `exit` in a worker). It is this module's
 *   own, never a global: a closure in a browser worker has no `process`.
 *
 * Invariant: the same names as node.ts, with node.ts' types (checked below).
 */
import type * as Node from './node.js';
import type * as Self from './browser.js';

/*
 * The few DOM types used here, declared locally: the package compiles without the DOM lib
 * (adding it would change the global types every other module sees).
 */
type Transferable = object;
interface MessageEventLike {
  readonly data: unknown;
}
type EventListener = (event: never) => void;
interface EventTargetLike {
  addEventListener(type: string, listener: EventListener): void;
  removeEventListener(type: string, listener: EventListener): void;
}
interface MessagePort extends EventTargetLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  start(): void;
  close(): void;
}
interface WebWorker extends EventTargetLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  terminate(): void;
}
interface ErrorEventLike {
  readonly message: string;
  readonly error: unknown;
  preventDefault(): void;
}
interface BrowserGlobals extends EventTargetLike {
  readonly MessagePort?: { prototype: object };
  readonly MessageChannel: unknown;
  readonly Worker: new (url: string, options: { type: 'module'; name: string }) => WebWorker;
  readonly Blob: new (parts: string[], options: { type: string }) => object;
  readonly navigator?: { hardwareConcurrency?: number };
  readonly URL: typeof URL & { createObjectURL(blob: object): string };
  postMessage(message: unknown, transfer: Transferable[]): void;
  close(): void;
}
const web = globalThis as unknown as BrowserGlobals;

/** Whether this code runs in a worker (a dedicated Web Worker), not on a page. */
const inWorker = typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined' && typeof (globalThis as { document?: unknown }).document === 'undefined';

/** The message key of the worker's first message (its workerData) and of its exit notice. */
const INIT = '__fearlessInit';
const EXIT = '__fearlessExit';

type Listener = (...args: never[]) => void;

// ---------------------------------------------------------------- ports

/** Messages a port's listener took off it, for `receiveMessageOnPort`, by port. */
const queued = new WeakMap<MessagePort, unknown[]>();

function queueOf(port: MessagePort): unknown[] {
  let queue = queued.get(port);
  if (queue === undefined) {
    const made: unknown[] = [];
    queue = made;
    queued.set(port, made);
    port.addEventListener('message', (event: MessageEventLike) => {
      if (!listened.has(port)) made.push(event.data);
    });
    port.start();
  }
  return queue;
}

/** Ports with an `on('message')` listener: their messages go to it, not to the queue. */
const listened = new WeakSet<MessagePort>();

function receiveMessageOnPort(port: MessagePort): { message: unknown } | undefined {
  const queue = queueOf(port);
  return queue.length === 0 ? undefined : { message: queue.shift() };
}

const wrapped = new WeakMap<Listener, EventListener>();
const PortClass = web.MessagePort;

if (PortClass !== undefined) {
  const methods: Record<string, (this: MessagePort, ...args: never[]) => unknown> = {
    on(this: MessagePort, event: string, listener: (message: unknown) => void) {
      if (event !== 'message') return this;
      listened.add(this);
      const queue = queued.get(this);
      const handler = (message: MessageEventLike): void => listener(message.data);
      wrapped.set(listener, handler);
      this.addEventListener('message', handler);
      this.start();
      // What the queue took before the listener came is the listener's.
      if (queue !== undefined) for (const message of queue.splice(0)) listener(message);
      return this;
    },
    off(this: MessagePort, event: string, listener: Listener) {
      const handler = wrapped.get(listener);
      if (event === 'message' && handler !== undefined) this.removeEventListener('message', handler);
      return this;
    },
    ref(this: MessagePort) {
      return this;
    },
    /** The hub unrefs its ports as it registers them: from then on their messages are queued (a port's queue starts only once something listens). */
    unref(this: MessagePort) {
      if (!listened.has(this)) queueOf(this);
      return this;
    },
  };
  for (const [name, method] of Object.entries(methods)) {
    if (!(name in PortClass.prototype)) Object.defineProperty(PortClass.prototype, name, { value: method, configurable: true, writable: true });
  }
}

// ---------------------------------------------------------------- workers (the page's side)

/** Blob URLs of worker texts, made once per text. */
const blobUrls = new Map<string, string>();

interface StartOptions {
  readonly workerData?: unknown;
  readonly transferList?: readonly Transferable[];
  readonly eval?: boolean;
}

class BrowserWorker {
  readonly #worker: WebWorker;
  readonly #listeners = new Map<string, Set<(value: never) => void>>();
  #exited = false;

  constructor(source: string | URL, options: StartOptions = {}) {
    let url: string;
    if (options.eval === true) {
      const text = String(source);
      url = blobUrls.get(text) ?? web.URL.createObjectURL(new web.Blob([text], { type: 'text/javascript' }));
      blobUrls.set(text, url);
    } else {
      url = String(source);
    }
    this.#worker = new web.Worker(url, { type: 'module', name: 'fearless' });
    this.#worker.addEventListener('message', (event: MessageEventLike) => {
      const data = event.data as { [EXIT]?: number } | null;
      if (typeof data === 'object' && data !== null && EXIT in data) this.#exit(data[EXIT] ?? 0);
      else this.#emit('message', data);
    });
    this.#worker.addEventListener('error', (event: ErrorEventLike) => {
      event.preventDefault();
      this.#emit('error', new Error(event.message || 'the worker failed to start or threw'));
      this.#worker.terminate();
      this.#exit(1);
    });
    this.#worker.addEventListener('messageerror', () => this.#emit('error', new Error('a message from the worker could not be deserialized')));
    this.#worker.postMessage({ [INIT]: options.workerData }, [...(options.transferList ?? [])]);
  }

  #emit(event: string, value: unknown): void {
    for (const listener of this.#listeners.get(event) ?? []) listener(value as never);
  }

  #exit(code: number): void {
    if (this.#exited) return;
    this.#exited = true;
    // After the messages already dispatched, as Node orders 'exit' after the worker's messages.
    setTimeout(() => this.#emit('exit', code), 0);
  }

  on(event: string, listener: (value: never) => void): this {
    let set = this.#listeners.get(event);
    if (set === undefined) this.#listeners.set(event, (set = new Set()));
    set.add(listener);
    return this;
  }

  once(event: string, listener: (value: never) => void): this {
    const once = (value: never): void => {
      this.off(event, once);
      listener(value);
    };
    return this.on(event, once);
  }

  off(event: string, listener: (value: never) => void): this {
    this.#listeners.get(event)?.delete(listener);
    return this;
  }

  postMessage(message: unknown, transfer: readonly Transferable[] = []): void {
    if (!this.#exited) this.#worker.postMessage(message, [...transfer]);
  }

  ref(): void {}

  unref(): void {}

  terminate(): Promise<number> {
    this.#worker.terminate();
    this.#exit(1);
    return new Promise((resolve) => setTimeout(() => resolve(1), 0));
  }
}

// ---------------------------------------------------------------- the worker's side

let workerDataValue: unknown = null;

/**
 * The worker's own end, as worker_threads' parentPort: messages from the page, queued until
 * the bootstrap listens (it starts listening after the rest of the worker's modules ran).
 */
class ParentPort {
  readonly #early: unknown[] = [];
  readonly #listeners: ((message: unknown) => void)[] = [];

  constructor() {
    web.addEventListener('message', (event: MessageEventLike) => {
      const data = event.data;
      if (typeof data === 'object' && data !== null && INIT in data) return;
      if (this.#listeners.length === 0) this.#early.push(data);
      else for (const listener of this.#listeners) listener(data);
    });
  }

  on(event: string, listener: (message: unknown) => void): this {
    if (event !== 'message') return this;
    this.#listeners.push(listener);
    for (const message of this.#early.splice(0)) listener(message);
    return this;
  }

  postMessage(message: unknown, transfer: readonly Transferable[] = []): void {
    web.postMessage(message, [...transfer]);
  }
}

const parentPortValue = inWorker ? new ParentPort() : null;

/**
 * The worker's first step (the browser worker text's entry awaits it before the runtime's
 * modules run): its workerData, from the page's first message, and the first message of its
 * hub port (the stash port, which the hub reads synchronously at start-up: a browser cannot).
 */
export async function receiveWorkerData(): Promise<void> {
  const data = await new Promise<unknown>((resolve) => {
    const first = (event: MessageEventLike): void => {
      const message = event.data as Record<string, unknown> | null;
      if (typeof message !== 'object' || message === null || !(INIT in message)) return;
      web.removeEventListener('message', first);
      resolve(message[INIT]);
    };
    web.addEventListener('message', first);
  });
  workerDataValue = data;
  const hubPort = (data as { hubPort?: MessagePort } | null)?.hubPort;
  if (hubPort !== undefined) {
    const queue = queueOf(hubPort);
    while (queue.length === 0) await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

// ---------------------------------------------------------------- process

const workerHandlers = new Map<Listener, EventListener>();

const processValue = {
  versions: {} as Record<string, string>,
  execArgv: [] as string[],
  env: {} as Record<string, string | undefined>,
  cwd: (): string => '/',
  emitWarning(warning: string | Error): void {
    console.warn(typeof warning === 'string' ? warning : warning.message);
  },
  on(event: string, listener: (value: unknown) => void): unknown {
    if (event === 'uncaughtException') {
      const handler = (error: ErrorEventLike): void => {
        error.preventDefault();
        listener(error.error);
      };
      workerHandlers.set(listener, handler);
      web.addEventListener('error', handler);
    } else if (event === 'unhandledRejection') {
      const handler = (rejection: { readonly reason: unknown; preventDefault(): void }): void => {
        rejection.preventDefault();
        listener(rejection.reason);
      };
      workerHandlers.set(listener, handler);
      web.addEventListener('unhandledrejection', handler);
    }
    return processValue;
  },
  /** In a worker: the page hears of the exit (after this worker's earlier messages), then it closes. */
  exit(code = 0): never {
    if (inWorker) {
      parentPortValue?.postMessage({ [EXIT]: code });
      web.close();
    }
    throw new Error(`fearless: process.exit(${code}) in a browser`);
  },
  getBuiltinModule: (): undefined => undefined,
};

// ---------------------------------------------------------------- text

const latin1 = new TextDecoder('latin1');
const utf16 = new TextDecoder('utf-16le');
const utf8 = new TextDecoder();

/** The members of Buffer the codec uses: latin1, utf16le and utf8 text over a byte range. */
class TextBytes {
  readonly bytes: Uint8Array;

  constructor(buffer: ArrayBufferLike, offset = 0, length?: number) {
    this.bytes = new Uint8Array(buffer, offset, length);
  }

  static from(buffer: ArrayBufferLike, offset?: number, length?: number): TextBytes {
    return new TextBytes(buffer, offset, length);
  }

  toString(encoding: string, start = 0, end = this.bytes.length): string {
    const bytes = this.bytes;
    if (encoding === 'latin1' && end - start < 64) {
      let text = '';
      for (let at = start; at < end; at++) text += String.fromCharCode(bytes[at]!);
      return text;
    }
    // TextDecoder refuses views of shared memory: short strings are copied out first.
    const slice = bytes.buffer instanceof ArrayBuffer ? bytes.subarray(start, end) : bytes.slice(start, end);
    if (encoding === 'latin1') return latin1.decode(slice);
    if (encoding === 'utf16le') return utf16.decode(slice);
    return utf8.decode(slice);
  }

  write(text: string, offset: number, length: number, encoding: string): number {
    const bytes = this.bytes;
    if (encoding === 'latin1') {
      const count = Math.min(length, text.length);
      for (let at = 0; at < count; at++) bytes[offset + at] = text.charCodeAt(at);
      return count;
    }
    const count = Math.min(length >> 1, text.length);
    for (let at = 0; at < count; at++) {
      const code = text.charCodeAt(at);
      bytes[offset + 2 * at] = code & 0xff;
      bytes[offset + 2 * at + 1] = code >> 8;
    }
    return 2 * count;
  }
}

// ---------------------------------------------------------------- the rest

function inspectValue(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 60)}...` : value}'`;
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return `[Function: ${value.name || '(anonymous)'}]`;
  if (Array.isArray(value)) return `[ ${value.slice(0, 5).map((item) => (typeof item === 'object' && item !== null ? (Array.isArray(item) ? '[Array]' : '[Object]') : inspectValue(item))).join(', ')}${value.length > 5 ? ', ...' : ''} ]`;
  if (typeof value === 'object' && value !== null) {
    const name = (value as { constructor?: { name?: string } }).constructor?.name;
    const prefix = name === undefined || name === 'Object' ? '' : `${name} `;
    const keys = Object.keys(value).slice(0, 5);
    return `${prefix}{ ${keys.map((key) => `${key}: ${typeof (value as Record<string, unknown>)[key] === 'object' ? '[Object]' : inspectValue((value as Record<string, unknown>)[key])}`).join(', ')} }`;
  }
  return String(value);
}
const inspect = Object.assign(inspectValue, { custom: Symbol.for('nodejs.util.inspect.custom') });

const noFiles = (): never => {
  throw new Error('fearless: a browser has no file system');
};

function dirname(path: string): string {
  const cut = path.replace(/\/+$/, '').lastIndexOf('/');
  return cut <= 0 ? (path.startsWith('/') ? '/' : '.') : path.slice(0, cut);
}

const availableParallelism = (): number => web.navigator?.hardwareConcurrency ?? 4;

/**
 * Chromium throws in `Atomics.wait` on a page's main thread (and Firefox, Safari too): only a
 * worker may block. Known once, at load.
 */
export const mayBlock = inWorker;

/** Made by errors.ts (it registers it): the PlatformError for a page that is not isolated. */
let notIsolatedError: (() => Error) | undefined;

/** errors.ts registers the maker of FEARLESS_NOT_ISOLATED here (a platform cannot import it). */
export function onNotIsolated(make: () => Error): void {
  notIsolatedError = make;
}

/** Throws FEARLESS_NOT_ISOLATED where there is no shared memory (a page not cross-origin isolated). */
export function assertIsolated(): void {
  if (typeof SharedArrayBuffer === 'undefined') throw notIsolatedError?.() ?? new Error('fearless: SharedArrayBuffer is missing');
}

export const Worker = BrowserWorker as unknown as typeof Node.Worker;
export const MessageChannel = web.MessageChannel as typeof Node.MessageChannel;
const receiveMessageOnPortExport = receiveMessageOnPort as unknown as typeof Node.receiveMessageOnPort;
export { receiveMessageOnPortExport as receiveMessageOnPort };
export const isMainThread = !inWorker;
export const parentPort = parentPortValue as unknown as typeof Node.parentPort;
/** A live binding: set by `receiveWorkerData` before the worker's runtime modules run. */
export { workerDataValue as workerData };
export { availableParallelism };
export const Buffer = TextBytes as unknown as typeof Node.Buffer;
const inspectExport = inspect as unknown as typeof Node.inspect;
export { inspectExport as inspect };
export const TextEncoder = globalThis.TextEncoder;
export const randomUUID = (): `${string}-${string}-${string}-${string}-${string}` => globalThis.crypto.randomUUID();
export const existsSync = (): boolean => false;
export const readFileSync = noFiles as unknown as typeof Node.readFileSync;
export const statSync = noFiles as unknown as typeof Node.statSync;
export const fileURLToPath = (url: string | URL): string => decodeURIComponent(new URL(url).pathname);
export const pathToFileURL = (path: string): URL => new URL(`file://${encodeURI(path)}`);
export { dirname };
export const isAbsolute = (path: string): boolean => path.startsWith('/');
export const join = (...parts: string[]): string => parts.join('/').replace(/\/+/g, '/');
export const createRequire = ((): never => {
  throw new Error('fearless: a browser has no require()');
}) as unknown as typeof Node.createRequire;
export const isBuiltin = (): boolean => false;
export const register = (): void => {};
/** Parses a script as vm.Script does (a syntax check): `new Function` (a page's CSP may forbid it). */
export const Script = class Script {
  constructor(code: string) {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the browser's only parser
    new Function(code);
  }
} as unknown as typeof Node.Script;
/** The name a compiled closure's `import(` is rewritten to (see `compileFunction`). */
const IMPORT = '__fearlessImport';

/**
 * A closure's `import(specifier)`, resolved as it would be where it was written: a relative or
 * absolute specifier against the caller's URL (a Blob URL worker has no base of its own). A bare
 * specifier is left as it is: a worker has no import map.
 */
function importFrom(base: string | undefined): (specifier: string) => Promise<unknown> {
  return (specifier) => {
    const relative = /^(?:\.{0,2}\/|[a-z][a-z0-9+.-]*:)/i.test(specifier);
    const url = relative && base !== undefined && /^(?:https?|blob|data):/.test(base) ? new URL(specifier, base).href : specifier;
    return import(/* webpackIgnore: true */ /* @vite-ignore */ url);
  };
}

export const vm = {
  runInNewContext: (code: string): unknown => (0, eval)(code),
  /**
   * vm.compileFunction as `new Function`, with the closure's `import(` calls rewritten to a
   * function that resolves them against `filename` (the caller's URL). The rewrite is textual:
   * `import(` inside a string or a comment of the closure is rewritten too (harmless in a
   * comment; a string that holds it changes).
   */
  compileFunction: (body: string, params: string[] = [], options: { filename?: string } = {}): ((...args: unknown[]) => unknown) => {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a closure's source, compiled in the worker
    const factory = new Function(IMPORT, ...params, body.replace(/\bimport\s*\(/g, `${IMPORT}(`)) as (...args: unknown[]) => unknown;
    return factory.bind(undefined, importFrom(options.filename));
  },
  constants: { USE_MAIN_CONTEXT_DEFAULT_LOADER: Symbol('USE_MAIN_CONTEXT_DEFAULT_LOADER') },
} as unknown as typeof Node.vm;
export const process = processValue as unknown as typeof Node.process;
export const unrefTimer = (): void => {};
/** A page cannot ask for a garbage collection. */
export const collectGarbage = (): boolean => false;
/** A browser has no receiveMessageOnPort: a message is there only once the event loop dispatched it. */
export const receivesSynchronously = false;
/**
 * setImmediate as a macrotask after the current one: a MessageChannel message (setTimeout(0)
 * is clamped to 4 ms after a few nested calls).
 */
const immediates = new Map<number, () => void>();
let nextImmediate = 1;
let immediateChannel: { port1: MessagePort & { onmessage: ((event: MessageEventLike) => void) | null }; port2: MessagePort } | undefined;
function setImmediateImpl(callback: (...args: unknown[]) => void, ...args: unknown[]): number {
  if (immediateChannel === undefined) {
    immediateChannel = new (web.MessageChannel as new () => NonNullable<typeof immediateChannel>)();
    immediateChannel.port1.onmessage = (event) => {
      const id = event.data as number;
      const run = immediates.get(id);
      immediates.delete(id);
      run?.();
    };
  }
  const id = nextImmediate++;
  immediates.set(id, () => callback(...args));
  immediateChannel.port2.postMessage(id);
  return id;
}
export const setImmediate = setImmediateImpl as unknown as typeof Node.setImmediate;
export const clearImmediate = ((id: number): void => {
  immediates.delete(id);
}) as unknown as typeof Node.clearImmediate;

/** Compile-time check: every name node.ts exports is here. */
type Missing = Exclude<keyof typeof Node, keyof typeof Self>;
export type PlatformNamesMatch = [Missing] extends [never] ? true : { missing: Missing };
