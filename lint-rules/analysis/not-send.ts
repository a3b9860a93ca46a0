import ts from 'typescript';
import type { FearlessModule } from './fearless-module.js';

/** Built-in objects the structured clone algorithm copies (or transfers) faithfully. */
const CLONEABLE_BUILTINS: ReadonlySet<string> = new Set([
  'Date', 'RegExp', 'Error', 'ArrayBuffer', 'SharedArrayBuffer', 'DataView',
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
  'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
  'String', 'Number', 'Boolean', 'BigInt',
]);
const WEAK: ReadonlySet<string> = new Set(['WeakMap', 'WeakSet', 'WeakRef']);

/** Where a value stops being Send: the path to the part (`job.cb`) and what it is. */
export interface NotSendPart {
  readonly path: string;
  readonly what: string;
}

/**
 * Walks a type the way `Send<T>` does, but with the checker, to name the first part that cannot
 * cross a worker boundary. Depth-limited and cycle-safe; `any` passes (it opted out of checking).
 *
 * @example
 * ```ts
 * const job = { id: 1, cb: () => {} };
 * notSendPart(fearless, typeOf(job), 'job'); // { path: 'job.cb', what: 'a function' }
 * ```
 */
export function notSendPart(fearless: FearlessModule, type: ts.Type, path: string): NotSendPart | undefined {
  return walk(fearless, type, path, 0, new Set());
}

function walk(fearless: FearlessModule, type: ts.Type, path: string, depth: number, seen: Set<ts.Type>): NotSendPart | undefined {
  const { checker } = fearless;
  if (type.flags & ts.TypeFlags.Any) return undefined;
  if (type.flags & ts.TypeFlags.Unknown) return { path, what: '`unknown` (narrow it to a concrete type first)' };
  if (type.flags & ts.TypeFlags.ESSymbolLike) return { path, what: 'a symbol' };
  const copied =
    ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike |
    ts.TypeFlags.EnumLike | ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void | ts.TypeFlags.Never;
  if (type.flags & copied) return undefined;
  if (seen.has(type) || depth > 6) return undefined;
  seen.add(type);
  if (type.isUnionOrIntersection()) {
    for (const member of type.types) {
      const part = walk(fearless, member, path, depth, seen);
      if (part) return part;
    }
    return undefined;
  }
  const properties = type.getProperties();
  const keys = properties.map((property) => property.escapedName.toString());
  if (keys.some((key) => key.startsWith('__@notSend@'))) return { path, what: 'branded `NotSend`' };
  // The package's own handles carry the Send brand: they move (or are shared) by design.
  if (keys.some((key) => key.startsWith('__@sendHandle@'))) return undefined;
  if (type.getConstructSignatures().length > 0) return { path, what: 'a class (declare it inside the closure, or import it there)' };
  if (type.getCallSignatures().length > 0) return { path, what: 'a function' };

  const symbol = type.getSymbol();
  const name = symbol?.name ?? '';
  const fromLib = symbol?.declarations?.some((declaration) => isLibFile(declaration.getSourceFile())) ?? false;
  if (fromLib && WEAK.has(name)) return { path, what: `a \`${name}\`` };
  if (fromLib && name === 'Promise') return { path, what: 'a Promise (await it and send the result)' };
  if (fromLib && CLONEABLE_BUILTINS.has(name)) return undefined;
  if (fearless.declares(symbol)) return undefined;

  const then = type.getProperty('then');
  if (then && checker.getTypeOfSymbol(then).getCallSignatures().length > 0) return { path, what: 'a thenable (await it and send the result)' };

  if (checker.isArrayType(type) || checker.isTupleType(type) || (fromLib && (name === 'Map' || name === 'Set' || name === 'ReadonlyMap' || name === 'ReadonlySet'))) {
    const args = checker.getTypeArguments(type as ts.TypeReference);
    for (const [index, argument] of args.entries()) {
      const label = name === 'Map' || name === 'ReadonlyMap' ? (index === 0 ? '(key)' : '(value)') : '[n]';
      const part = walk(fearless, argument, `${path}${label}`, depth + 1, seen);
      if (part) return part;
    }
    return undefined;
  }
  if (symbol && symbol.flags & ts.SymbolFlags.Class && !fromLib) {
    const method = properties.find((property) => property.flags & ts.SymbolFlags.Method);
    if (method) return { path, what: `an instance of class \`${name}\`, whose method \`${method.name}\` cannot cross (send plain data)` };
  }
  for (const [index, label] of [[type.getStringIndexType(), '[key]'], [type.getNumberIndexType(), '[n]']] as const) {
    const part = index && walk(fearless, index, `${path}${label}`, depth + 1, seen);
    if (part) return part;
  }
  for (const property of properties) {
    if (property.escapedName.toString().startsWith('__@')) continue;
    const part = walk(fearless, checker.getTypeOfSymbol(property), `${path}.${property.name}`, depth + 1, seen);
    if (part) return part;
  }
  return undefined;
}

function isLibFile(file: ts.SourceFile): boolean {
  return file.hasNoDefaultLib || /[\\/]typescript[\\/]lib[\\/]lib\.[^\\/]*\.d\.ts$/.test(file.fileName) || /[\\/]@types[\\/]node[\\/]/.test(file.fileName);
}
