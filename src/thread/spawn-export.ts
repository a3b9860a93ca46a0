/**
 * Threads from a module's export: `spawnExport(new URL('./tasks.js', import.meta.url),
 * 'countWords', move(text))`. The export runs in a worker with its module's imports and
 * module-level names, which a closure cannot have: the worker imports the module (once per
 * worker, as any import) and calls the export with the moved values.
 *
 * How it runs: the export becomes a small closure of our own, made from the module's URL and the
 * export's name (both written into its source as JSON string literals, never evaluated as code on
 * this side), and goes the way every closure goes: the same pool, queue, mailbox, abort and panic
 * path. Nothing of the module is loaded on the calling thread.
 */
import { isAbsolute, pathToFileURL } from '#platform';
import { InvalidArgumentError, invalidArgument } from '../errors.js';
import type { IsSend, Send, Unsendable } from '../marker/send.js';
import { ownFile, callerUrl } from './caller.js';
import type { JoinHandle } from './join-handle.js';
import { Moved } from './move.js';

// In a bundle, this module's chunk is the package's: never a spawn's caller (caller.ts).
ownFile(import.meta.url);

/** The parameters an export takes, or `never` when it is not a function. */
export type ExportParameters<Export> = Export extends (...args: infer Args) => unknown ? Args : never;

/**
 * The moved values `spawnExport` takes for an export: optional when the export needs none.
 * Each value is Send already: `move(...)` refuses the rest. (For an export that is not a
 * function, anything: the error is the name's, see ExportName.)
 */
export type ExportArguments<Export> = Export extends (...args: never) => unknown
  ? [] extends ExportParameters<Export>
    ? [moved?: Moved<ExportParameters<Export>>]
    : [moved: Moved<ExportParameters<Export>>]
  : [moved?: unknown];

/** What `join()` gives for an export: its awaited result. */
export type ExportResult<Export> = Export extends (...args: never) => infer Result ? Awaited<Result> : never;

/**
 * The export's name when it can run on a thread; otherwise a string type that says why, which
 * the name given is not assignable to, so the error names the export, the field and the reason:
 * - `"export 'version' is not a function"`;
 * - `"the result of export 'makeHandler' is not Send: result.onDone: functions cannot cross…"`:
 *   the result crosses back to the caller, so it must be Send, as a closure's result.
 */
export type ExportName<Module, Name extends keyof Module> = Module[Name] extends (...args: never) => unknown
  ? IsSend<ExportResult<Module[Name]>> extends true
    ? Name
    : ResultNotSend<Name & string, WhyNotSend<Send<ExportResult<Module[Name]>>, 'result'>>
  : `export '${Name & string}' is not a function`;

type ResultNotSend<Name extends string, Why extends string> = [Why] extends [never]
  ? `the result of export '${Name}' is not Send`
  : `the result of export '${Name}' is not Send: ${Why}`;

/**
 * Where `Send<V>` put an `Unsendable<Why>`: `"result.items.0.cb: functions cannot cross…"` (every
 * such place, as a union), found by walking the checked type a few levels down. Read only when
 * the result is known not to be Send, so a good call never pays for the walk.
 */
type WhyNotSend<Checked, Path extends string, Depth extends unknown[] = []> = Depth['length'] extends 6
  ? never
  : Checked extends Unsendable<infer Why>
    ? `${Path}: ${Why}`
    : Checked extends (...args: never) => unknown
      ? never
      : Checked extends object
        ? { [Key in keyof Checked & (string | number)]-?: WhyNotSend<Checked[Key], Key extends number ? `${Path}[]` : `${Path}.${Key}`, [...Depth, unknown]> }[keyof Checked & (string | number)]
        : never;

/**
 * Marks a closure made here, whose source is ready: `closureSource` takes it as it is (it is not a
 * function, so a user cannot make one; only `exportTask` does).
 */
export class ExportTask {
  /** @internal */
  constructor(readonly source: string) {}
}

/**
 * The closure that runs export `name` of `module`. The URL is resolved here: a relative specifier
 * against the file that called `spawnExport` (found on the stack, as a closure's `import()` is),
 * an absolute path as a file URL; a URL or a bare package name is left to the worker's `import()`,
 * which resolves a bare name from the calling file too.
 */
export function exportTask(module: unknown, name: unknown, where: string): ExportTask {
  const url = moduleUrl(module, where);
  if (typeof name !== 'string' || name === '') throw invalidArgument(where, 'name', 'the name of an exported function (a non-empty string)', name);
  const specifier = JSON.stringify(url);
  const exportName = JSON.stringify(name);
  // The module's namespace has the export by name; a CommonJS module's named exports may be
  // visible only on its default export (module.exports), where they are looked up second.
  const source = `async (...values) => {
  const namespace = await import(${specifier});
  const exported = ${exportName} in namespace ? namespace[${exportName}] : namespace.default?.[${exportName}];
  if (typeof exported !== 'function') {
    const exports = Object.keys(namespace).filter((key) => typeof namespace[key] === 'function');
    throw new TypeError(${JSON.stringify(`${where}: ${url} has no exported function '${name}'`)} + (exported === undefined ? '; its exported functions: ' + (exports.join(', ') || 'none') : '; that export is a ' + typeof exported));
  }
  return exported(...values);
}`;
  return new ExportTask(source);
}

function moduleUrl(module: unknown, where: string): string {
  if (module instanceof URL) return module.href;
  if (typeof module !== 'string' || module === '') {
    throw invalidArgument(where, 'module', "a URL or a module specifier (new URL('./tasks.js', import.meta.url))", module);
  }
  if (module.startsWith('./') || module.startsWith('../')) {
    const caller = callerUrl();
    if (caller === undefined) {
      throw new InvalidArgumentError(
        `${where}: the relative module '${module}' cannot be resolved: the calling file is not on the stack; pass new URL('${module}', import.meta.url)`,
      );
    }
    return new URL(module, caller).href;
  }
  if (isAbsolute(module)) return pathToFileURL(module).href;
  return module;
}

/**
 * `spawnExport` on whatever spawns (`spawn`, `pool.spawn`): the moved values checked to be the
 * result of `move(...)`, the export's closure made, both handed to `run` as a closure would be.
 */
export function runExport(run: (first: unknown, second?: unknown) => JoinHandle<unknown>, module: unknown, name: unknown, moved: unknown, where: string): JoinHandle<unknown> {
  if (moved !== undefined && !(moved instanceof Moved)) throw invalidArgument(where, 'moved', 'the result of move(...)', moved);
  const task = exportTask(module, name, where);
  return moved === undefined ? run(task) : run(moved, task);
}

/** The signature shared by `spawnExport` and `pool.spawnExport`. */
export type SpawnExport = <Module, Name extends keyof Module>(
  module: URL | string,
  name: ExportName<Module, Name>,
  ...moved: ExportArguments<Module[Name]>
) => JoinHandle<ExportResult<Module[Name]>>;
