/**
 * Which declarations belong to the `fearless` package.
 *
 * The CLI recognises the API by where a symbol is declared, never by its name alone: a user's
 * own `send()` or `Mutex` is not ours. A file belongs to the package when the nearest
 * `package.json` above it is named `fearless`. That single rule covers the published `.d.ts`
 * files under `node_modules/fearless/dist`, this repository's own `src/` and `dist/` (when the
 * CLI runs on the repository's examples), and a declaration-only stand-in package. The ESLint
 * plugin, which runs the same Send check, passes its own rule instead: the files that declare
 * what `import … from 'fearless'` resolved to (an ambient `declare module 'fearless'` among them).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type * as TS from 'typescript';
import type { TypeScript } from './verdict.js';

export const packageName = 'fearless';

/**
 * The brand keys of src/marker/brands.ts, and the keys of `Unsendable`/`Unshareable`, the types
 * `Send<T>`/`Sync<T>` put where a part fails (inference falls back to them when a bound fails).
 */
export type BrandKey = 'notSend' | 'notSync' | 'sendHandle' | 'syncHandle' | 'handleMembers' | 'unsendable' | 'unshareable';
const brandKeys: ReadonlySet<string> = new Set<BrandKey>(['notSend', 'notSync', 'sendHandle', 'syncHandle', 'handleMembers', 'unsendable', 'unshareable']);

/** The marker types' internal aliases; their first type argument is the type being checked. */
const markerAliases: ReadonlySet<string> = new Set([
  'Send', 'SendValue', 'SendCheck', 'SendNonPrimitive', 'SendSpecial', 'SendObject', 'SendMap', 'SendSet', 'SendError',
  'SendObjectIn', 'SendFields', 'SendArray', 'SendArrayItems', 'SendBuiltin', 'Bare', 'AddedMembers', 'Lockable', 'LockableFields',
  'SendAsItIs', 'BareHandle', 'AddedToHandle', 'LockableValue',
  'Sync', 'SyncValue', 'SyncCheck', 'SyncBare', 'AddedToView',
]);

/** What the Send and Sync checks ask about the package: which symbols, brands and markers are its own. */
export interface FearlessApi {
  isApiSymbol(symbol: TS.Symbol | undefined): boolean;
  markerSubject(type: TS.Type): TS.Type | undefined;
  brandOf(property: TS.Symbol): BrandKey | undefined;
}

export class FearlessPackage implements FearlessApi {
  /** Directory → root of the fearless package it is in (or null), so each is read once. */
  private readonly rootOfDirectory = new Map<string, string | null>();

  /**
   * @param ownsFile which declaration files are the package's API; by default the files of the
   *   package named `fearless` (see {@link isApiFile}).
   */
  constructor(
    private readonly ts: TypeScript,
    private readonly checker: TS.TypeChecker,
    private readonly ownsFile?: (file: TS.SourceFile) => boolean,
  ) {}

  /** The package root when `fileName` is part of `fearless`, otherwise undefined. */
  packageRootOf(fileName: string): string | undefined {
    return this.rootOf(dirname(fileName)) ?? undefined;
  }

  /**
   * True for a file that declares the package's API: its `.d.ts` files, and its `src/` or `dist/`
   * when it is this repository. The repository's examples and tests are in the package too, but
   * they are users of the API, so their sites are checked like anyone else's.
   */
  isApiFile(fileName: string): boolean {
    const root = this.packageRootOf(fileName);
    if (root === undefined) return false;
    const inside = relative(root, fileName).split(sep)[0] ?? '';
    if (inside === 'src' || inside === 'dist') return true;
    return fileName.endsWith('.d.ts') && inside !== 'test' && inside !== 'examples';
  }

  /** The symbol a reference resolves to, through `import { x as y }` aliases. */
  resolve(symbol: TS.Symbol | undefined): TS.Symbol | undefined {
    if (symbol !== undefined && (symbol.flags & this.ts.SymbolFlags.Alias) !== 0) {
      return this.checker.getAliasedSymbol(symbol);
    }
    return symbol;
  }

  /** True when `symbol` is declared in the package's API files. */
  isApiSymbol(symbol: TS.Symbol | undefined): boolean {
    const declarations = this.resolve(symbol)?.declarations ?? [];
    return declarations.some((declaration) => {
      const file = declaration.getSourceFile();
      return this.ownsFile === undefined ? this.isApiFile(file.fileName) : this.ownsFile(file);
    });
  }

  /**
   * The type `type` was computed from, when it is an instance of the marker types' own aliases
   * (`SendObject<Job>` → `Job`). The checker hands these out when a call fails its
   * `T extends Send<T>` bound and inference falls back to the bound.
   */
  markerSubject(type: TS.Type): TS.Type | undefined {
    const alias = type.aliasSymbol;
    if (alias === undefined || !markerAliases.has(alias.name) || !this.isApiSymbol(alias)) return undefined;
    return type.aliasTypeArguments?.[0];
  }

  /**
   * Which brand a property is, when its key is one of the package's brand symbols
   * (`readonly [notSend]: true`, `declare readonly [sendHandle]: true`).
   */
  brandOf(property: TS.Symbol): BrandKey | undefined {
    const ts = this.ts;
    // A property keyed by a unique symbol is named `__@<symbol name>@<id>`: a cheap pre-filter.
    const match = /^__@(\w+)@/.exec(property.escapedName as string);
    if (match === null || !brandKeys.has(match[1] ?? '')) return undefined;
    for (const declaration of property.declarations ?? []) {
      const name = ts.getNameOfDeclaration(declaration);
      if (name === undefined || !ts.isComputedPropertyName(name)) continue;
      const key = this.resolve(this.checker.getSymbolAtLocation(name.expression));
      if (key !== undefined && brandKeys.has(key.name) && this.isApiSymbol(key)) return key.name as BrandKey;
    }
    return undefined;
  }

  private rootOf(directory: string): string | null {
    const known = this.rootOfDirectory.get(directory);
    if (known !== undefined) return known;
    // The nearest package.json decides, even when it names another package.
    const manifest = join(directory, 'package.json');
    const parent = dirname(directory);
    let root: string | null;
    if (existsSync(manifest)) root = readPackageName(manifest) === packageName ? directory : null;
    else root = parent === directory ? null : this.rootOf(parent);
    this.rootOfDirectory.set(directory, root);
    return root;
  }
}

function readPackageName(manifest: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(manifest, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'name' in parsed && typeof parsed.name === 'string') {
      return parsed.name;
    }
  } catch {
    // An unreadable or invalid manifest names no package: the file is simply not ours.
  }
  return undefined;
}
