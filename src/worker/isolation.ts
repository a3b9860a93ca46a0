/**
 * What one task leaves behind on its worker, and how it is kept from reaching the next,
 * unrelated task on the same (reused) worker. See src/worker/README.md, "Task isolation" and
 * "Leftovers", for the rules; in short:
 *
 * - timers, intervals and immediates a task set and did not clear are cleared when it ends (a
 *   stray timer used to fire, and throw, in the middle of a later task — which then died for it);
 * - properties a task added to `globalThis` are deleted when it ends, UNLESS the task may have
 *   run module code (its closure's source can load a module: `import(`, `require`, vite's
 *   dynamic import). A module stays loaded in the worker after the task that imported it, and
 *   what it installed on `globalThis` (`globalThis.__lib ??= …`) is part of its state: deleting
 *   it broke the module for every later task. The globals such a task leaves become part of the
 *   worker's baseline, as they would stay in a plain worker;
 * - work a finished task left running (a continuation, an un-awaited promise, a timer set by a
 *   continuation after the task ended) is a *leftover*. Its errors are reported (a warning on
 *   the main thread naming the worker and the task) and never end the worker or another task;
 *   the locks and permits leftovers hold when one of them fails are poisoned and released.
 *
 * Timers are tracked by wrapping the worker's global timer functions once, at start: a timer
 * belongs to the task running when it was set, or to the leftovers when none runs. Globals are
 * found by a `for…in` over `globalThis` against the keys present at start, which costs about a
 * microsecond per task (`Object.keys(globalThis)` cost 7–18 µs, most of a warm spawn's budget).
 * `for…in` sees only enumerable keys: what assignment and implicit globals create. A property
 * added with `Object.defineProperty` as non-enumerable, or a built-in global replaced by a
 * task, is not undone; a property that cannot be deleted retires the worker instead (`clean` is
 * false).
 */
import { clearImmediate, setImmediate } from '#platform';

type Timer = ReturnType<typeof setTimeout>;
type Immediate = ReturnType<typeof setImmediate>;

/**
 * Who set a timer. A worker has no async context (AsyncLocalStorage would put a hook on every
 * promise of every task: an await cost 8× more in a measurement), so it knows whose code runs
 * only in two places: a task's synchronous part (run() calls its function) and a timer callback
 * it wrapped. A timer set
 * - during the running task's synchronous part, or from a callback of one of its timers, is
 *   that task's (`owner === current`);
 * - while a task runs but outside both (after an await) may be the task's or a leftover's: it
 *   gets the task's `later` owner — cleared with the task, its errors reported, never fatal;
 * - while no task runs is a leftover's (LEFTOVERS).
 */
export interface Owner {
  /** The task's number on this worker (1, 2, …); 0 for leftovers. */
  readonly task: number;
  /** Set after the task's first await: the task's or a leftover's, no one can tell. */
  readonly later?: true;
  timers?: Set<Timer>;
  immediates?: Set<Immediate>;
  laterOwner?: Owner;
}

/**
 * How a leftover's error is reported: `task` is the owner's number (0: set while no task ran),
 * `running` whether that task is still running (a `later` timer: the task's or a leftover's).
 */
export type LeftoverReport = (error: unknown, task: number, how: string, running: boolean) => void;

const LEFTOVERS: Owner = { task: 0 };
let current: Owner | undefined;
/** True while the running task's function runs synchronously (set by run() in main.ts). */
let inSync = false;
/** The owner of the timer callback running now, if one does. */
let inCallbackOf: Owner | undefined;
/** The error a callback of the running task threw (it escapes: see `call`). */
let fatal: unknown = undefined;
let report: LeftoverReport = () => {};
const unbound = { setTimeout, setInterval, setImmediate, clearTimeout, clearImmediate };
/**
 * The timers as called here, as methods of this object: a browser's throw "Illegal invocation"
 * with any `this` but the global, so in a Web Worker they are bound to it. Elsewhere (Node, Bun,
 * Deno's main runtime) they are the functions themselves, unchanged.
 */
const original: typeof unbound =
  typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === 'undefined'
    ? unbound
    : { setTimeout: setTimeout.bind(globalThis), setInterval: setInterval.bind(globalThis), setImmediate, clearTimeout: clearTimeout.bind(globalThis), clearImmediate };
/** The timer functions as the runtime made them, for the worker's own use (never a task's). */
export const nativeTimers: Readonly<typeof original> = original;

/** Installed once by the worker bootstrap: how a leftover's error is reported. */
export function onLeftoverError(reporter: LeftoverReport): void {
  report = reporter;
}

/** Whether `error` is what a callback of the running task threw (it is that task's: fatal). */
export function isTaskError(error: unknown): boolean {
  return fatal !== undefined && error === fatal;
}

/** The running task's function starts (true) or returned (false). */
export function setSynchronous(value: boolean): void {
  inSync = value;
}

function ownerNow(): Owner {
  if (inCallbackOf !== undefined) return inCallbackOf;
  if (current === undefined) return LEFTOVERS;
  if (inSync) return current;
  return (current.laterOwner ??= { task: current.task, later: true });
}

function wrap<Fn extends (...args: never[]) => unknown>(native: Fn, wrapped: Fn): Fn {
  // Keeps what hangs off the native function (util.promisify.custom, name, length).
  Object.defineProperties(wrapped, Object.getOwnPropertyDescriptors(native));
  return wrapped;
}

/**
 * Runs a timer's callback for `owner`. Invariant (leftovers never reach another task): an error
 * from a callback whose owner is the running task itself (set in its synchronous part) is that
 * task's (it escapes, and the worker dies as a plain worker would, its join rejecting); from any
 * other owner — a finished task, no task, or the running task after an await — it is reported
 * and swallowed, and whatever task runs now goes on.
 */
function call(owner: Owner, callback: (...args: unknown[]) => unknown, args: unknown[], how: string): unknown {
  const outer = inCallbackOf;
  inCallbackOf = owner;
  try {
    return callback(...args);
  } catch (error) {
    if (owner !== LEFTOVERS && owner === current) {
      fatal = error;
      throw error;
    }
    report(error, owner.task, how, current !== undefined && owner.task === current.task);
    return undefined;
  } finally {
    inCallbackOf = outer;
  }
}

const target = globalThis as unknown as Record<string, unknown>;

target['setTimeout'] = wrap(unbound.setTimeout, ((callback: unknown, ...rest: unknown[]) => {
  if (typeof callback !== 'function') return (original.setTimeout as (...args: unknown[]) => Timer)(callback, ...rest);
  const owner = ownerNow();
  const timer: Timer = (original.setTimeout as (...args: unknown[]) => Timer)((...args: unknown[]) => {
    owner.timers?.delete(timer);
    return call(owner, callback as (...args: unknown[]) => unknown, args, 'a timer');
  }, ...rest);
  if (owner !== LEFTOVERS) (owner.timers ??= new Set()).add(timer);
  return timer;
}) as unknown as typeof setTimeout);

target['setInterval'] = wrap(unbound.setInterval, (callback: unknown, ...rest: unknown[]) => {
  if (typeof callback !== 'function') return (original.setInterval as (...args: unknown[]) => Timer)(callback, ...rest);
  const owner = ownerNow();
  const timer = (original.setInterval as (...args: unknown[]) => Timer)((...args: unknown[]) => call(owner, callback as (...args: unknown[]) => unknown, args, 'an interval'), ...rest);
  if (owner !== LEFTOVERS) (owner.timers ??= new Set()).add(timer);
  return timer;
});

target['setImmediate'] = wrap(unbound.setImmediate, ((callback: unknown, ...rest: unknown[]) => {
  if (typeof callback !== 'function') return (original.setImmediate as (...args: unknown[]) => Immediate)(callback, ...rest);
  const owner = ownerNow();
  const immediate: Immediate = (original.setImmediate as (...args: unknown[]) => Immediate)((...args: unknown[]) => {
    owner.immediates?.delete(immediate);
    return call(owner, callback as (...args: unknown[]) => unknown, args, 'an immediate');
  }, ...rest);
  if (owner !== LEFTOVERS) (owner.immediates ??= new Set()).add(immediate);
  return immediate;
}) as unknown as typeof setImmediate);

function clearOwned(owner: Owner | undefined): void {
  if (owner === undefined) return;
  if (owner.timers !== undefined) for (const timer of owner.timers) original.clearTimeout(timer);
  if (owner.immediates !== undefined) for (const immediate of owner.immediates) original.clearImmediate(immediate);
}

/**
 * The enumerable globals before the first task (taken then, after the bootstrap has installed
 * everything it installs), plus what tasks that may have run module code left: anything else
 * was added by a task.
 */
let baseline: Set<string> | undefined;
/** Whether the running task may have run module code (see the module comment). */
let loadsModules = false;

/** Whether a closure's source can load a module (a false positive only keeps its globals). */
export function mayLoadModules(source: string): boolean {
  return /\bimport\s*\(|\brequire\b|__vite_ssr_dynamic_import__/.test(source);
}

/**
 * A task starts: timers set from now on belong to it. `modules`: its closure may load a
 * module (mayLoadModules), so the globals it adds are kept.
 */
export function watchTask(task: number, modules: boolean): void {
  if (baseline === undefined) {
    baseline = new Set();
    for (const key in globalThis) baseline.add(key);
  }
  current = { task };
  loadsModules = modules;
}

/** The task ended: clear what it left and delete the globals it added. False if one would not go. */
export function undoTask(): boolean {
  const left = current;
  current = undefined;
  inSync = false;
  fatal = undefined;
  clearOwned(left);
  clearOwned(left?.laterOwner);
  const known = baseline ?? new Set();
  if (loadsModules) {
    // A module it loaded may own any of them: they stay, now and for later tasks.
    for (const key in globalThis) known.add(key);
    return true;
  }
  let clean = true;
  for (const key in globalThis) {
    if (known.has(key)) continue;
    try {
      if (!Reflect.deleteProperty(globalThis, key)) clean = false;
    } catch {
      clean = false;
    }
  }
  return clean;
}
