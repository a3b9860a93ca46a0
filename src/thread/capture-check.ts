/**
 * The spawn-time check: a function sent to a thread may use only names that exist there. Run on
 * the calling thread, before anything is moved, so a closure that captures an import or an
 * outer variable fails at the spawn call with the name and the fix, instead of a ReferenceError
 * inside the worker.
 */
import { isBuiltin, process, vm } from '#platform';
import { CaptureError } from '../errors.js';
import { exportNames } from '../export-names.js';
import { extrasReaders, helperNames, helpersBinding, importBinding, importMetaNames, namespaceExtras, ownBindings, packageBinding, providedNames } from '../toolchain/table.js';
import { ownFile, importsOf, type ImportBinding } from './caller.js';
import { freeNames, type FreeName } from './free-names.js';

// In a bundle, this module's chunk is the package's: never a spawn's caller (caller.ts).
ownFile(import.meta.url);

let globals: ReadonlySet<string> | undefined;
/**
 * The names a worker has as globals: the language's built-ins (read from a fresh context, so
 * whatever this program put on its own `globalThis` does not count) and the host's (Node's,
 * Bun's or Deno's `globalThis`, read up its prototype chain, less what only this thread has).
 */
function workerGlobals(): ReadonlySet<string> {
  if (globals !== undefined) return globals;
  const names = new Set<string>(vm.runInNewContext('Object.getOwnPropertyNames(globalThis)') as string[]);
  for (let object: object | null = globalThis; object !== null && object !== Object.prototype; object = Object.getPrototypeOf(object) as object | null) {
    for (const name of Object.getOwnPropertyNames(object)) names.add(name);
  }
  globals = names;
  return names;
}

/** The package's exports, which the worker passes in under their own names (a static list: src/export-names.ts). */
const fearlessExports: ReadonlySet<string> = new Set(exportNames);

/**
 * What the check found in a source: the first name the worker would not have (or null), and
 * the names it let through because the worker has a global of that name (the ones an import of
 * the calling file may shadow: `checkShadowedGlobals`).
 */
interface Outcome {
  readonly error: CaptureError | null;
  readonly globals: readonly FreeName[];
}

/** By source text: closures made afresh in a loop (new function objects, same text) are checked once. */
const checked = new Map<string, Outcome>();
const CHECKED_LIMIT = 2048;
const noGlobals: readonly FreeName[] = [];

/**
 * Throws a CaptureError naming the first name of `source` that the worker would not have;
 * returns the uses of names that the worker has as globals (one per name).
 */
export function checkCaptures(source: string, where: string, functionName: string, caller: () => string | undefined = () => undefined): readonly FreeName[] {
  let outcome = checked.get(source);
  if (outcome === undefined) {
    outcome = findCapture(source, where, functionName, caller);
    if (checked.size >= CHECKED_LIMIT) checked.clear();
    checked.set(source, outcome);
  }
  if (outcome.error !== null) throw outcome.error;
  return outcome.globals;
}

function findCapture(source: string, where: string, functionName: string, caller: () => string | undefined): Outcome {
  let names: FreeName[];
  try {
    names = freeNames(source);
  } catch {
    // Not parseable as an expression: the worker's compile step reports it with its own error.
    return { error: null, globals: noGlobals };
  }
  const extrasRead = extrasReaders(source);
  const globals = new Map<string, FreeName>();
  for (const use of names) {
    const verdict = allowed(use, extrasRead);
    if (verdict === false) return { error: captureError(use, source, where, functionName, caller), globals: noGlobals };
    if (verdict === 'global' && !globals.has(use.name)) globals.set(use.name, use);
  }
  return { error: null, globals: globals.size === 0 ? noGlobals : [...globals.values()] };
}

/**
 * The spawn-time check's second half: a name the worker has as a global may still be an import
 * of the calling file (`import { setTimeout } from 'node:timers/promises'`, `import crypto from
 * 'node:crypto'`), which the closure would silently swap for the worker's global. Such a use is
 * refused, unless the import is that very global (`import { Buffer } from 'node:buffer'`).
 * `caller` is the calling file's URL; where its imports cannot be read (see `importsOf`)
 * nothing is refused.
 */
export function checkShadowedGlobals(source: string, globals: readonly FreeName[], where: string, functionName: string, caller: string | undefined): void {
  if (caller === undefined) return;
  const imports = importsOf(caller);
  if (imports === null || imports.size === 0) return;
  for (const use of globals) {
    const binding = imports.get(use.name);
    if (binding === undefined || isTheGlobal(binding, use.name)) continue;
    throw shadowError(use, binding, source, where, functionName, caller);
  }
}

/**
 * Builtins alone, read without a `require`: a bundle keeps no `import.meta.url` to make one from
 * (esbuild's CommonJS output empties it), and webpack warns about a require of a computed name.
 */
const requireBuiltin = (specifier: string): unknown => process.getBuiltinModule(specifier);

/** Whether the import is the very object the worker's global of that name is (a builtin module's export, read here). */
function isTheGlobal(binding: ImportBinding, name: string): boolean {
  // A namespace object is never a global; only a builtin module can be read here without running anything.
  if (binding.imported === '*' || !isBuiltin(binding.specifier)) return false;
  try {
    const exports = requireBuiltin(binding.specifier) as Record<string, unknown>;
    const value = binding.imported === 'default' ? exports : exports[binding.imported];
    return value !== undefined && value === (globalThis as Record<string, unknown>)[name];
  } catch {
    return false;
  }
}

function shadowError(use: FreeName, binding: ImportBinding, source: string, where: string, functionName: string, caller: string): CaptureError {
  const subject = functionName === '' ? 'the function' : `function ${functionName}`;
  const name = use.name;
  const taken = binding.imported === name ? name : `${binding.imported}: ${name}`;
  const fix = `const ${binding.imported === '*' ? name : `{ ${taken} }`} = await import('${binding.specifier}')`;
  return new CaptureError(
    name,
    `${where}: ${subject} uses \`${name}\` at ${position(source, use.offset)}, which ${caller} imports (\`${binding.written}\`); in the worker that name would be the worker's own global \`${name}\`, not the import: a spawned function is sent as source text and cannot capture imports. ` +
      `Import it inside the function (\`${fix}\`), or pass its value with move(...) so it arrives as a parameter.`,
  );
}

/**
 * Whether the worker will have the name: `'global'` when it is one of the worker's globals.
 * What each toolchain's names mean is the toolchain table (src/toolchain/table.ts).
 */
function allowed(use: FreeName, extrasRead: ReadonlySet<string>): boolean | 'global' {
  const { name, property } = use;
  if (use.typeofOnly) return true;
  if (name === 'import.meta' || importMetaNames.has(name)) return false;
  if (helperNames.has(name) || providedNames.has(name) || fearlessExports.has(name)) return true;
  if (packageBinding.test(name)) {
    if (property === undefined) return false;
    if (fearlessExports.has(property)) return true;
    return Object.prototype.hasOwnProperty.call(namespaceExtras, property) && extrasRead.has(name);
  }
  if (helpersBinding.test(name)) return property !== undefined && helperNames.has(property);
  if (ownBindings.some((own) => own.pattern.test(name))) return true;
  return workerGlobals().has(name) ? 'global' : false;
}

function captureError(use: FreeName, source: string, where: string, functionName: string, caller: () => string | undefined): CaptureError {
  const subject = functionName === '' ? 'the function' : `function ${functionName}`;
  const at = position(source, use.offset);
  if (use.name === 'import.meta' || importMetaNames.has(use.name)) {
    return new CaptureError(
      'import.meta',
      `${where}: ${subject} uses import.meta (${at}), which a spawned function does not have; compute what you need from it before spawn and pass it with move(...)`,
    );
  }
  // An import read through a compiled module's binding: name the import, not the binding.
  const viaBinding = use.property !== undefined && importBinding.test(use.name);
  const identifier = viaBinding ? (use.property ?? use.name) : use.name;
  const compiled = viaBinding ? ` (compiled as ${use.name}.${use.property})` : '';
  const kind = kindOfUse(use, source);
  // The calling file's imports, when they can be read: an import's fix is that very import,
  // written inside the function; a name the file does not import is its own variable or
  // function. Only on this error path is the stack read. Like the verdict, the error is kept
  // per source text: the same text spawned later from another file gets the first file's advice.
  const url = kind === 'bundled' ? undefined : caller();
  const imports = url === undefined ? null : importsOf(url);
  const binding = imports?.get(identifier);
  const known = binding === undefined ? '' : `\`${identifier}\` is imported from '${binding.specifier}' in the calling file. `;
  const advice = adviceFor(identifier, viaBinding || binding !== undefined ? 'import' : kind, {
    code: use.called || kind === 'class',
    notImported: imports !== null && binding === undefined && !viaBinding,
    specifier: binding?.specifier,
    imported: binding?.imported,
  });
  return new CaptureError(
    identifier,
    `${where}: ${subject} uses \`${identifier}\`${compiled} at ${at}, which will not exist in the worker: a spawned function is sent as source text and cannot capture imports or outer variables. ${known}${advice}`,
  );
}

/** How the closure uses a name it captures: what it is, as far as the closure's text tells. */
type UseKind = 'import' | 'function' | 'class' | 'value' | 'bundled';

function kindOfUse(use: FreeName, source: string): UseKind {
  // esbuild's `init_x()`: the code it calls to run a module it inlined into the bundle.
  if (/^init_[\w$]+$/.test(use.name) && use.called) return 'bundled';
  if (/\bnew\s*$/.test(source.slice(Math.max(0, use.offset - 12), use.offset))) return 'class';
  return use.called ? 'function' : 'value';
}

interface AdviceFacts {
  /** Called or constructed: code, which is never moved. */
  readonly code: boolean;
  /** The calling file's imports were read and do not have the name (likely a variable of its own). */
  readonly notImported: boolean;
  readonly specifier?: string | undefined;
  readonly imported?: string | undefined;
}

/**
 * The fix for the case (issue 23, item 5): a value is moved; a function or class cannot be
 * (it is code: define it inside, import it inside, or run a module's export); an import is
 * imported inside; a bundler's module initialiser means the module was inlined.
 */
function adviceFor(identifier: string, kind: UseKind, facts: AdviceFacts): string {
  const importLine = importStatement(identifier, facts.specifier, facts.imported);
  const spawnExport = `spawnExport(new URL('./module.js', import.meta.url), '${identifier}', move(...))`;
  switch (kind) {
    case 'bundled':
      return `\`${identifier}\` is a bundler's code for a module it inlined into the bundle (an \`import()\` in the function of a module inside the bundle), which the worker does not have: import packages or Node builtins there, keep that module out of the bundle (external), or run it with spawnExport (README, "Bundling").`;
    case 'import':
      // A called import is code: it is imported inside, never moved.
      return facts.code
        ? `Import it inside the function (\`${importLine}\`), or run a module's export that uses it with spawnExport(new URL('./module.js', import.meta.url), 'name', move(...)).`
        : `Import it inside the function (\`${importLine}\`), or pass its value with move(...) so it arrives as a parameter.`;
    case 'function':
    case 'class': {
      // Imported inside is offered even when the calling file does not import it: a function
      // passed by reference was written in another file, whose imports are not read here.
      const what = kind === 'class' ? 'a class' : 'a function';
      return `\`${identifier}\` is ${what}, and code cannot be moved to a thread: define it inside the function, import it inside (\`${importLine}\`), or export it from a module and run that with ${spawnExport}.`;
    }
    case 'value':
      return facts.notImported
        ? `Pass its value with move(...) so it arrives as a parameter: spawn(move(${identifier}), (${identifier}) => …).`
        : `Pass its value with move(...) so it arrives as a parameter: spawn(move(${identifier}), (${identifier}) => …); if it is an import, import it inside the function instead (\`${importLine}\`).`;
  }
}

function importStatement(identifier: string, specifier = '…', imported = identifier): string {
  const from = `await import('${specifier}')`;
  if (imported === '*') return `const ${identifier} = ${from}`;
  if (imported === identifier) return `const { ${identifier} } = ${from}`;
  return `const { ${imported}: ${identifier} } = ${from}`;
}

function position(source: string, offset: number): string {
  const before = source.slice(0, Math.max(0, offset));
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column} of its source`;
}
