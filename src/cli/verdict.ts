/**
 * What the Send and Sync analyses answer, and the helpers both use to read a type.
 */
import { ts } from 'ts-morph';

/** One link of the chain from a type down to its offending part. */
export interface Step {
  /** The type that contains the part, as the user wrote it (`Job`, `Envelope[]`). */
  readonly within: string;
  /** Where the part is inside it: "field `onDone`", "array element", "Map value"... */
  readonly via: string;
}

export type Verdict =
  | { readonly ok: true; readonly why: string }
  | {
      readonly ok: false;
      /** Why the offending part cannot cross (or be shared), in the marker types' words. */
      readonly reason: string;
      /** The offending part's type. */
      readonly offending: string;
      /** Innermost first, the order rustc prints its "required because..." notes in. */
      readonly chain: readonly Step[];
    };

export type Failure = Extract<Verdict, { ok: false }>;

export const ok = (why: string): Verdict => ({ ok: true, why });

/** A failure one level up: the part sits inside `within` at `via`. */
export function within(failure: Failure, step: Step): Failure {
  return { ...failure, chain: [...failure.chain, step] };
}

const displayFlags = ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope | ts.TypeFormatFlags.NoTruncation;

/** How a type is named in messages: its alias or interface name when it has one. */
export function displayType(checker: ts.TypeChecker, type: ts.Type): string {
  const text = checker.typeToString(type, undefined, displayFlags);
  // Long anonymous object types would drown the message; the location shows the rest.
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** How a property is named in messages: `onDone`, `[Symbol.iterator]`. */
export function displayProperty(checker: ts.TypeChecker, property: ts.Symbol): string {
  return checker.symbolToString(property);
}

/** True for a private, protected or `#private` member: not part of `keyof`, so not checked. */
export function isHiddenMember(property: ts.Symbol): boolean {
  return (property.declarations ?? []).some((declaration) => {
    const name = ts.getNameOfDeclaration(declaration);
    if (name !== undefined && ts.isPrivateIdentifier(name)) return true;
    return (ts.getCombinedModifierFlags(declaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0;
  });
}

/** The name of a built-in type (`Date`, `Map`...) when `type` is one from the default library. */
export function libraryTypeName(program: ts.Program, type: ts.Type): string | undefined {
  const symbol = type.getSymbol();
  const declaration = symbol?.declarations?.[0];
  if (symbol === undefined || declaration === undefined) return undefined;
  return program.isSourceFileDefaultLibrary(declaration.getSourceFile()) ? symbol.name : undefined;
}

/** The type arguments of a generic instance (`Map<K, V>` → `[K, V]`). */
export function typeArguments(checker: ts.TypeChecker, type: ts.Type): readonly ts.Type[] {
  if ((type.flags & ts.TypeFlags.Object) === 0) return [];
  if (((type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference) === 0) return [];
  return checker.getTypeArguments(type as ts.TypeReference);
}
