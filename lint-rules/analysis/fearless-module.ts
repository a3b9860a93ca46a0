import ts from 'typescript';

/** Exports of `fearless` that are Sync handles: moving one shares it, the binding stays usable. */
export const SHARED_HANDLES: ReadonlySet<string> = new Set([
  'Mutex',
  'RwLock',
  'Arc',
  'AtomicI32',
  'AtomicU32',
  'AtomicBool',
  'AtomicI64',
  'Condvar',
  'Barrier',
  'Semaphore',
]);

/**
 * What this file's program knows about the `fearless` package: its exports (aliases followed to
 * the declaring symbol) and the files that declare them.
 *
 * Identity, not names: a user's own `class Sender` is not ours. Resolving through the checker
 * makes it work the same for the published `dist/*.d.ts` (re-exports across files) and for a
 * `declare module 'fearless' { … }` in a test fixture.
 *
 * @example
 * ```ts
 * import { channel } from 'fearless';
 * const [tx] = channel<number[]>();
 * tx.send(xs); // the receiver's type symbol is `Sender`, declared in a fearless file → a move
 * ```
 */
export class FearlessModule {
  readonly #exports = new Map<string, ts.Symbol>();
  readonly #files = new Set<ts.SourceFile>();
  readonly #names = new Map<ts.Symbol, string>();

  constructor(
    readonly checker: ts.TypeChecker,
    moduleSymbol: ts.Symbol | undefined,
  ) {
    if (moduleSymbol === undefined) return;
    for (const declaration of moduleSymbol.declarations ?? []) this.#files.add(declaration.getSourceFile());
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const target = this.resolve(exported);
      this.#exports.set(exported.name, target);
      this.#names.set(target, exported.name);
      for (const declaration of target.declarations ?? []) this.#files.add(declaration.getSourceFile());
    }
  }

  /** True when the file imports `fearless` and the checker resolved it. */
  get available(): boolean {
    return this.#exports.size > 0;
  }

  /** Follows import/export aliases to the declaring symbol. */
  resolve(symbol: ts.Symbol): ts.Symbol {
    return symbol.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(symbol) : symbol;
  }

  /** The export named `name`, if `symbol` (possibly an alias of it) is that export. */
  isExport(symbol: ts.Symbol | undefined, name: string): boolean {
    if (symbol === undefined) return false;
    const target = this.#exports.get(name);
    return target !== undefined && this.resolve(symbol) === target;
  }

  /** Whether fearless exports something called `name`. */
  isExportName(name: string): boolean {
    return this.#exports.has(name);
  }

  /** The exported name of `symbol` (followed through aliases), when it is an export of fearless. */
  nameOf(symbol: ts.Symbol | undefined): string | undefined {
    return symbol === undefined ? undefined : this.#names.get(this.resolve(symbol));
  }

  /** Whether `file` is one of the fearless package's declaration files. */
  ownsFile(file: ts.SourceFile): boolean {
    return this.#files.has(file);
  }

  /** Whether `symbol` is declared by the fearless package (any of its files). */
  declares(symbol: ts.Symbol | undefined): boolean {
    return symbol?.declarations?.some((declaration) => this.#files.has(declaration.getSourceFile())) ?? false;
  }

  /**
   * The fearless class/interface name of a value's type, when it is one of `names`
   * (`Sender<T> | undefined` counts as `Sender`).
   */
  classOf(type: ts.Type, names: ReadonlySet<string>): string | undefined {
    const symbol = this.checker.getNonNullableType(type).getSymbol();
    if (symbol === undefined || !names.has(symbol.name) || !this.declares(symbol)) return undefined;
    return symbol.name;
  }
}

/** Whether a type is copied, not moved, when sent: primitives and unions/literals of them. */
export function isCopyType(type: ts.Type): boolean {
  if (type.isUnion()) return type.types.every(isCopyType);
  const copyFlags =
    ts.TypeFlags.StringLike |
    ts.TypeFlags.NumberLike |
    ts.TypeFlags.BooleanLike |
    ts.TypeFlags.BigIntLike |
    ts.TypeFlags.EnumLike |
    ts.TypeFlags.Null |
    ts.TypeFlags.Undefined |
    ts.TypeFlags.Void;
  return (type.flags & copyFlags) !== 0;
}

/**
 * Whether a value of this type is a Sync handle of fearless (shared, not moved): by name among
 * the package's classes, or by the `[syncHandle]` brand that the package's handle classes carry.
 */
export function isSharedHandle(fearless: FearlessModule, type: ts.Type): boolean {
  if (fearless.classOf(type, SHARED_HANDLES) !== undefined) return true;
  const nonNull = fearless.checker.getNonNullableType(type);
  if (isSharedMemory(fearless.checker, nonNull)) return true;
  return nonNull.getProperties().some((property) => property.escapedName.toString().startsWith('__@syncHandle@'));
}

/**
 * A `SharedArrayBuffer`, or a typed array/DataView typed over one (`Int32Array<SharedArrayBuffer>`
 * since TypeScript 5.7): moving it shares the same memory, so it stays usable (it is Sync).
 */
function isSharedMemory(checker: ts.TypeChecker, type: ts.Type): boolean {
  const name = type.getSymbol()?.name;
  if (name === 'SharedArrayBuffer') return true;
  if (name === undefined || !(name.endsWith('Array') || name === 'DataView') || !(type.flags & ts.TypeFlags.Object)) return false;
  if (!((type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference)) return false;
  const buffer = checker.getTypeArguments(type as ts.TypeReference)[0];
  return buffer?.getSymbol()?.name === 'SharedArrayBuffer';
}
