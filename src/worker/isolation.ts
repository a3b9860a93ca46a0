/**
 * What one task leaves behind on its worker is undone when it ends, so that the next, unrelated
 * task on the same (reused) worker starts as a new thread would:
 *
 * - timers, intervals and immediates it set and did not clear are cleared (a stray timer used
 *   to fire, and throw, in the middle of a later task — which then died for it);
 * - properties it added to `globalThis` are deleted.
 *
 * Timers are tracked by wrapping the worker's global timer functions once, at start: a timer
 * belongs to the task running when it was set. Globals are found by a `for…in` over
 * `globalThis` against the keys present at start, which costs about a microsecond per task
 * (`Object.keys(globalThis)` cost 7–18 µs, most of a warm spawn's budget). `for…in` sees only
 * enumerable keys: what assignment and implicit globals create. A property added with
 * `Object.defineProperty` as non-enumerable, or a built-in global replaced by a task, is not
 * undone; a property that cannot be deleted retires the worker instead (`clean` is false).
 */

type Timer = ReturnType<typeof setTimeout>;
type Immediate = ReturnType<typeof setImmediate>;

/** Made when the task sets its first timer: most tasks set none. */
interface Left {
  timers?: Set<Timer>;
  immediates?: Set<Immediate>;
}

let current: Left | undefined;
const original = { setTimeout, setInterval, setImmediate, clearTimeout, clearImmediate };

function wrap<Fn extends (...args: never[]) => unknown>(native: Fn, wrapped: Fn): Fn {
  // Keeps what hangs off the native function (util.promisify.custom, name, length).
  Object.defineProperties(wrapped, Object.getOwnPropertyDescriptors(native));
  return wrapped;
}

const target = globalThis as unknown as Record<string, unknown>;

target['setTimeout'] = wrap(original.setTimeout, ((callback: unknown, ...rest: unknown[]) => {
  const owner = current;
  if (owner === undefined || typeof callback !== 'function') return (original.setTimeout as (...args: unknown[]) => Timer)(callback, ...rest);
  const timer: Timer = (original.setTimeout as (...args: unknown[]) => Timer)((...args: unknown[]) => {
    owner.timers?.delete(timer);
    return (callback as (...args: unknown[]) => unknown)(...args);
  }, ...rest);
  (owner.timers ??= new Set()).add(timer);
  return timer;
}) as unknown as typeof setTimeout);

target['setInterval'] = wrap(original.setInterval, (...args: unknown[]) => {
  const timer = (original.setInterval as (...args: unknown[]) => Timer)(...args);
  if (current !== undefined) (current.timers ??= new Set()).add(timer);
  return timer;
});

target['setImmediate'] = wrap(original.setImmediate, ((callback: unknown, ...rest: unknown[]) => {
  const owner = current;
  if (owner === undefined || typeof callback !== 'function') return (original.setImmediate as (...args: unknown[]) => Immediate)(callback, ...rest);
  const immediate: Immediate = (original.setImmediate as (...args: unknown[]) => Immediate)((...args: unknown[]) => {
    owner.immediates?.delete(immediate);
    return (callback as (...args: unknown[]) => unknown)(...args);
  }, ...rest);
  (owner.immediates ??= new Set()).add(immediate);
  return immediate;
}) as unknown as typeof setImmediate);

/**
 * The enumerable globals before the first task (taken then, after the bootstrap has installed
 * everything it installs): anything else was added by a task.
 */
let baseline: Set<string> | undefined;

/** A task starts: timers set from now on belong to it. */
export function beginTask(): void {
  if (baseline === undefined) {
    baseline = new Set();
     
    for (const key in globalThis) baseline.add(key);
  }
  current = {};
}

/** The task ended: clear what it left and delete the globals it added. False if one would not go. */
export function endTask(): boolean {
  const left = current;
  current = undefined;
  if (left !== undefined) {
    if (left.timers !== undefined) for (const timer of left.timers) original.clearTimeout(timer);
    if (left.immediates !== undefined) for (const immediate of left.immediates) original.clearImmediate(immediate);
  }
  let clean = true;
  const known = baseline ?? new Set();
   
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
