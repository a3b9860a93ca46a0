/**
 * The top-level `spawn`: a new thread for `fn`, on the default pool. Inside a spawned thread it
 * is forwarded to the main thread's pool (src/nested/client.ts), so threads can spawn threads.
 */
import { isMainThread } from '#platform';
import { invalidArgument } from '../errors.js';
import type { Send } from '../marker/send.js';
import type { SendResult } from './send-result.js';
import { JoinHandle } from './join-handle.js';
import { Moved, spawnArguments, type MovedValues } from './move.js';
import { defaultPool } from './pool.js';
import { ownFile, callerUrl, needsCaller } from './caller.js';
import { closureSource } from './source.js';
import { requestSpawn } from '../nested/client.js';
import { runExport, type ExportArguments, type ExportName, type ExportResult } from './spawn-export.js';

// In a bundle, this module's chunk is the package's: never a spawn's caller (caller.ts).
ownFile(import.meta.url);

/**
 * Runs `fn` on another thread and returns its JoinHandle. `fn` is serialised from its source,
 * so it cannot capture outer variables: give it values with `move(...)`; they arrive as its
 * parameters. Inside `fn`, every export of `fearless` is available by name, and `import()`
 * resolves relative to the file that called `spawn`. Its result must be Send.
 *
 * @example
 * ```ts
 * const handle = spawn(move([1, 2, 3]), (numbers) => numbers.reduce((a, b) => a + b, 0));
 * await handle.join(); // 6
 * ```
 */
export function spawn<Return extends SendResult<Return>>(fn: () => Return): JoinHandle<Awaited<Return>>;
export function spawn<Values extends unknown[], Return extends SendResult<Return>>(
  moved: Moved<Values>,
  fn: (...values: MovedValues<Values>) => Return,
): JoinHandle<Awaited<Return>>;
/**
 * The public form (`spawn<R>(fn: () => R | Promise<R>)`), where an explicit type argument names the awaited result
 * (`spawn<number>(async () => 1)`). Tried after the forms above, which give the better message
 * when a result is not Send; every call the forms above accept has the same result type here.
 */
export function spawn<Result extends Send<Result>>(fn: () => Result | Promise<Result>): JoinHandle<Awaited<Result>>;
export function spawn<Values extends unknown[], Result extends Send<Result>>(
  moved: Moved<Values>,
  fn: (...values: MovedValues<Values>) => Result | Promise<Result>,
): JoinHandle<Awaited<Result>>;
export function spawn(first: unknown, second?: unknown): JoinHandle<unknown> {
  const [moved, fn] = second === undefined ? [undefined, first] : [first, second];
  if (moved !== undefined && !(moved instanceof Moved)) {
    throw invalidArgument('spawn(moved, fn)', 'moved', 'the result of move(...)', moved);
  }
  if (isMainThread) return (defaultPool().spawn as (first: unknown, second?: unknown) => JoinHandle<unknown>)(first, second);
  const source = closureSource(fn, 'spawn()');
  const values = spawnArguments(moved as Moved<unknown[]> | undefined);
  const { result, abort } = requestSpawn(source, needsCaller(source) ? callerUrl() : undefined, values);
  return new JoinHandle(result, abort);
}

/**
 * Runs export `name` of `module` on another thread, with the module's own imports and
 * module-level names (which a closure cannot capture), and returns its JoinHandle. The module's
 * type is given as a type argument, and types the call: `name` must be an exported function whose
 * result is Send, `moved` its parameters (optional when it takes none).
 *
 * `module` is a URL (`new URL('./tasks.js', import.meta.url)`), or a specifier: a relative one
 * resolves against the calling file, a bare one (`'my-lib/tasks'`) as an `import()` there would.
 * The module is imported in the worker, once per worker; nothing of it loads on this thread.
 *
 * @example
 * ```ts
 * // tasks.ts: import { tokenize } from './text.js'; export function countWords(text: string) { return tokenize(text).length; }
 * const words = await spawnExport<typeof import('./tasks.js'), 'countWords'>(
 *   new URL('./tasks.js', import.meta.url), 'countWords', move(text)).join();
 * ```
 */
export function spawnExport<Module, Name extends keyof Module>(
  module: URL | string,
  name: ExportName<Module, Name>,
  ...moved: ExportArguments<Module[Name]>
): JoinHandle<ExportResult<Module[Name]>>;
export function spawnExport(module: URL | string, name: unknown, moved?: unknown): JoinHandle<unknown> {
  return runExport(spawn as (first: unknown, second?: unknown) => JoinHandle<unknown>, module, name, moved, 'spawnExport()');
}
