/**
 * The one table of what compilers, bundlers, test runners and coverage tools put into a
 * closure, and what each name means in the worker. One entry per toolchain (a file each:
 * tsc.ts, async-iteration.ts, esbuild.ts, vite.ts, webpack.ts, istanbul.ts); read by the spawn-time check
 * (src/thread/capture-check.ts: which free names are fine), the caller lookup
 * (src/thread/caller.ts: which closures need their calling file) and the worker's compiler
 * (src/worker/compile.ts: what to bind each name to), so the three never disagree.
 *
 * Adding a toolchain: a file with its helpers and its entry, listed in `toolchains` below.
 */
import { asyncIteration } from './async-iteration.js';
import { esbuild } from './esbuild.js';
import { istanbul } from './istanbul.js';
import { tsc } from './tsc.js';
import { vite } from './vite.js';
import { webpack } from './webpack.js';

/** The calling file of a spawn (undefined parts: not found on the stack, or not a file). */
export interface CallerFile {
  /** Its URL, as read from the stack. */
  readonly url: string | undefined;
  /** Its path, for a `file:` URL. */
  readonly file: string | undefined;
  /** The folder of `file`. */
  readonly folder: string | undefined;
}

/**
 * A name through which compiled code reads a module it imported (`fearless_1.Mutex`), matched
 * whole by `pattern` (a RegExp source). In the worker it reads:
 * - `'package'`: the package's namespace (and the toolchain's `namespaceExtras`): the closure
 *   may read only the package's exports through it;
 * - `'helpers'`: every helper of the table (tslib imported as a module): only helpers;
 * - `'own'`: `value`, whatever is read from it.
 */
export type Binding = { readonly pattern: string; readonly reads: 'package' | 'helpers' } | { readonly pattern: string; readonly reads: 'own'; readonly value: unknown };

/** A plain name the worker gives a closure, per calling file. */
export interface Provided {
  readonly name: string;
  /** Called to load a module (`require(…)`): a closure that calls it needs its calling file. */
  readonly loads?: boolean;
  /** Passed in as a parameter of the compiled function, made for the calling file; */
  readonly value?: (caller: CallerFile) => unknown;
  /** or declared inside it, as this source text (an `import()` written there resolves against the caller). */
  readonly declared?: string;
  /** The compiler's own parameter, used by a `declared` text: not a name a closure may use. */
  readonly internal?: boolean;
}

export interface Toolchain {
  /** For people: which tool. */
  readonly name: string;
  /** The helper functions its output calls by their own names (`__awaiter`): bound under them. */
  readonly helpers?: Readonly<Record<string, unknown>>;
  /** How its output reads an import. */
  readonly bindings?: readonly Binding[];
  /** A RegExp source matching, whole, any binding of an import (not only the package's): named as the import in errors. */
  readonly importBindings?: string;
  /** Plain names its output uses that the worker gives a value. */
  readonly provided?: readonly Provided[];
  /** What its output makes of `import.meta`: refused as `import.meta`. */
  readonly importMeta?: readonly string[];
  /**
   * Properties a `'package'` binding has besides the package's exports (vite's usingCtx as
   * `.default`), allowed only for the bindings that `readBy` (a global RegExp) captures as
   * group 1 in the closure's source.
   */
  readonly namespaceExtras?: { readonly extras: Readonly<Record<string, unknown>>; readonly readBy: RegExp };
}

export const toolchains: readonly Toolchain[] = [tsc, asyncIteration, esbuild, vite, webpack, istanbul];

const whole = (sources: readonly string[]): RegExp => new RegExp(`^(?:${sources.join('|')})$`);
const allBindings = toolchains.flatMap((toolchain) => toolchain.bindings ?? []);
const allProvided = toolchains.flatMap((toolchain) => toolchain.provided ?? []);

/** Every helper of every toolchain, by name (what a `'helpers'` binding reads, and what the compiled function has in scope). */
export const helpers: Readonly<Record<string, unknown>> = Object.assign({}, ...toolchains.map((toolchain) => toolchain.helpers ?? {})) as Record<string, unknown>;
export const helperNames: ReadonlySet<string> = new Set(Object.keys(helpers));

/** Names that read the package's namespace (`fearless_1`, `import_fearless`, `__vite_ssr_import_1__`, `__vi_import_0__`). */
export const packageBinding = whole(allBindings.filter((binding) => binding.reads === 'package').map((binding) => binding.pattern));
/** Names that read the helpers (`tslib_1`, `import_tslib`). */
export const helpersBinding = whole(allBindings.filter((binding) => binding.reads === 'helpers').map((binding) => binding.pattern));
/** Bindings that read a value of their own, whatever the property (istanbul's `cov_…`). */
export const ownBindings: readonly { readonly pattern: RegExp; readonly value: unknown }[] = allBindings.flatMap((binding) =>
  binding.reads === 'own' ? [{ pattern: whole([binding.pattern]), value: binding.value }] : [],
);
/** Any import binding, of the package or not (`other_1`, `import_other`), and the package's and tslib's. */
export const importBinding = whole([...toolchains.flatMap((toolchain) => (toolchain.importBindings === undefined ? [] : [toolchain.importBindings])), ...allBindings.flatMap((binding) => (binding.reads === 'own' ? [] : [binding.pattern]))]);

/** Every name in a source that one of the bindings above would give a value (global: use with `match`). */
export const bindingIdentifier = new RegExp(String.raw`\b(?:${allBindings.map((binding) => binding.pattern).join('|')})(?![\w$])`, 'g');

/** The plain names a closure may use because the worker gives them a value (not the compiler's internal ones). */
export const providedNames: ReadonlySet<string> = new Set(allProvided.filter((provided) => provided.internal !== true).map((provided) => provided.name));
/** Every parameter the compiled function takes for the calling file, in order. */
export const callerParameters: readonly { readonly name: string; readonly value: (caller: CallerFile) => unknown }[] = allProvided.flatMap((provided) =>
  provided.value === undefined ? [] : [{ name: provided.name, value: provided.value }],
);
/** What the compiled function declares before the closure (`const __require = require;`…). */
export const declarations: string = allProvided.flatMap((provided) => (provided.declared === undefined ? [] : [`const ${provided.name} = ${provided.declared};`])).join(' ');

/** What toolchains make of `import.meta`. */
export const importMetaNames: ReadonlySet<string> = new Set(toolchains.flatMap((toolchain) => toolchain.importMeta ?? []));

/** The package namespace's extra properties (vite's `default`), and which bindings of a source read them. */
export const namespaceExtras: Readonly<Record<string, unknown>> = Object.assign({}, ...toolchains.map((toolchain) => toolchain.namespaceExtras?.extras ?? {})) as Record<string, unknown>;
export function extrasReaders(source: string): ReadonlySet<string> {
  const readers = new Set<string>();
  for (const toolchain of toolchains) {
    const readBy = toolchain.namespaceExtras?.readBy;
    if (readBy !== undefined) for (const match of source.matchAll(readBy)) readers.add(match[1]!);
  }
  return readers;
}

/**
 * Whether a closure needs its calling file in the worker: it calls `import(`, or a provided
 * name that loads a module (`require(`, esbuild's `__require(`, vite's
 * `__vite_ssr_dynamic_import__(`), or uses another provided name (CommonJS's `__filename`,
 * `__dirname`).
 */
export const usesCaller = new RegExp(
  String.raw`\b(?:import|${allProvided.filter((provided) => provided.loads === true).map((provided) => provided.name).join('|')})\s*\(|\b(?:${allProvided.filter((provided) => provided.loads !== true && provided.internal !== true).map((provided) => provided.name).join('|')})\b`,
);
