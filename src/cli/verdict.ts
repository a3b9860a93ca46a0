/**
 * What the Send and Sync analyses answer, and the helpers both use to read a type.
 */
import type * as TS from 'typescript';
import type { FearlessApi } from './fearless-package.js';

/** One link of the chain from a type down to its offending part. */
export interface Step {
  /** The type that contains the part, as the user wrote it (`Job`, `Envelope[]`). */
  readonly within: string;
  /** Where the part is inside it: "field `onDone`", "array element", "Map value"... */
  readonly via: string;
  /**
   * The same place as an access path segment (`.onDone`, `[n]`, `(value)`; empty for a union
   * member), which the lint rule strings into `job.onDone`. Not part of the JSON reports.
   */
  readonly segment: string;
}

/** A step as the JSON reports print it: where, in words. */
export const stepJson = ({ within, via }: Step): { within: string; via: string } => ({ within, via });

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

/**
 * The parts of the TypeScript API the analyses call, as values: the flags and helpers must come
 * from the same copy of TypeScript as the checker that made the types (ts-morph's bundled copy
 * for the CLI, the `typescript` package for the ESLint plugin), so they are passed in, never
 * imported here. That keeps these analyses free of ts-morph, which only the CLI needs.
 */
export type TypeScript = Pick<
  typeof TS,
  | 'TypeFlags'
  | 'ObjectFlags'
  | 'SymbolFlags'
  | 'SignatureKind'
  | 'TypeFormatFlags'
  | 'ModifierFlags'
  | 'getNameOfDeclaration'
  | 'isPrivateIdentifier'
  | 'isComputedPropertyName'
  | 'isTypeParameterDeclaration'
  | 'getEffectiveConstraintOfTypeParameter'
  | 'getCombinedModifierFlags'
  | 'escapeLeadingUnderscores'
>;

/** How the analyses read types: one checker, its program, and the TypeScript they came from. */
export class TypeReader {
  constructor(
    readonly ts: TypeScript,
    readonly checker: TS.TypeChecker,
    readonly program: TS.Program,
  ) {}

  /** How a type is named in messages: its alias or interface name when it has one. */
  displayType(type: TS.Type): string {
    const flags = this.ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope | this.ts.TypeFormatFlags.NoTruncation;
    const text = this.checker.typeToString(type, undefined, flags);
    // Long anonymous object types would drown the message; the location shows the rest.
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  }

  /** How a property is named in messages: `onDone`, `[Symbol.iterator]`. */
  displayProperty(property: TS.Symbol): string {
    return this.checker.symbolToString(property);
  }

  /** True for a private, protected or `#private` member: not part of `keyof`, so not checked. */
  isHiddenMember(property: TS.Symbol): boolean {
    const ts = this.ts;
    return (property.declarations ?? []).some((declaration) => {
      const name = ts.getNameOfDeclaration(declaration);
      if (name !== undefined && ts.isPrivateIdentifier(name)) return true;
      return (ts.getCombinedModifierFlags(declaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0;
    });
  }

  /** The name of a built-in type (`Date`, `Map`...) when `type` is one from the default library. */
  libraryTypeName(type: TS.Type): string | undefined {
    const symbol = type.getSymbol();
    const declaration = symbol?.declarations?.[0];
    if (symbol === undefined || declaration === undefined) return undefined;
    return this.program.isSourceFileDefaultLibrary(declaration.getSourceFile()) ? symbol.name : undefined;
  }

  /** The type arguments of a generic instance (`Map<K, V>` → `[K, V]`). */
  typeArguments(type: TS.Type): readonly TS.Type[] {
    if ((type.flags & this.ts.TypeFlags.Object) === 0) return [];
    if (((type as TS.ObjectType).objectFlags & this.ts.ObjectFlags.Reference) === 0) return [];
    return this.checker.getTypeArguments(type as TS.TypeReference);
  }
}

/** Where a part sits in its container, in words and as a path segment (see {@link Step}). */
export type Place = Pick<Step, 'via' | 'segment'>;
export const arrayElement: Place = { via: 'array element', segment: '[n]' };
export const mapParts: readonly Place[] = [
  { via: 'Map key', segment: '(key)' },
  { via: 'Map value', segment: '(value)' },
];
export const setParts: readonly Place[] = [{ via: 'Set element', segment: '[n]' }];

/** A property as a path segment: `.onDone`, `[secret]` (a symbol key prints in brackets already). */
export function propertySegment(name: string): string {
  return name.startsWith('[') ? name : `.${name}`;
}

/**
 * The access path to the offending part of a failure, from `root`: `job.onDone`, `tasks[n]`,
 * `lookup(value).cb`. What the lint rule names; the CLI prints the chain instead.
 */
export function failurePath(root: string, failure: Failure): string {
  return root + failure.chain.map((step) => step.segment).reverse().join('');
}

/** The text of a string literal type (an `Unsendable<Why>`'s reason). */
export function stringLiteral(type: TS.Type): string | undefined {
  return type.isStringLiteral() ? type.value : undefined;
}

/**
 * The first member of a handle type that its handle class does not declare (a user subclass's
 * method, an intersection's field), read off the class's `[handleMembers]` field, as `Send<T>`
 * and `Sync<T>` read it; undefined when there is none, or no such field to compare with.
 */
export function addedHandleMember(reader: TypeReader, fearless: Pick<FearlessApi, 'brandOf'>, properties: readonly TS.Symbol[]): TS.Symbol | undefined {
  const { ts, checker } = reader;
  const field = properties.find((property) => fearless.brandOf(property) === 'handleMembers');
  if (field === undefined) return undefined;
  const keysType = checker.getTypeOfSymbol(field);
  const keys = new Set<string>();
  for (const key of keysType.isUnion() ? keysType.types : [keysType]) {
    if (key.isStringLiteral()) keys.add(ts.escapeLeadingUnderscores(key.value) as string);
    else if (key.isNumberLiteral()) keys.add(String(key.value));
    else if ((key.flags & ts.TypeFlags.UniqueESSymbol) !== 0) keys.add((key as TS.UniqueESSymbolType).escapedName as string);
  }
  return properties.find((property) => !keys.has(property.escapedName as string) && !reader.isHiddenMember(property));
}