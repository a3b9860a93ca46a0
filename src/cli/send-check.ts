/**
 * Is a type Send? The same answer as the `Send<T>` marker type (src/marker/send.ts), computed
 * by walking the checker's types so the CLI can say where, in rustc's words, a part is not Send.
 *
 * The order of the tests is SendCheck's order: `any`, `unknown`, union members, primitives,
 * symbols, the NotSend brand, the package's handles, branded primitives, functions, constructors, thenables, weak
 * collections, cloneable built-ins, Map, Set, Error, then arrays, tuples and objects field by
 * field. Recursive types are assumed Send while they are being checked (as the checker does),
 * so a cycle ends the walk and a real offender anywhere in it is still found.
 */
import type * as TS from 'typescript';
import { NOT_SEND_REASONS, UNBOUNDED_PARAMETER_REASON } from '../marker/reasons.js';
import type { FearlessApi } from './fearless-package.js';
import {
  addedHandleMember,
  arrayElement,
  mapParts,
  ok,
  propertySegment,
  setParts,
  stringLiteral,
  within,
  type Failure,
  type Place,
  type TypeReader,
  type TypeScript,
  type Verdict,
} from './verdict.js';

/**
 * The marker type's reasons (NotSendReason), read off the one table, so a note reads like the
 * checker's own error for the same type; and the checkers' own, for an unbounded type parameter.
 */
export const notSendReasons = { ...NOT_SEND_REASONS, typeParameter: UNBOUNDED_PARAMETER_REASON } as const;

/** The flags of the primitives that cross by copy (symbol is not one of them). */
function primitiveFlags(ts: TypeScript): number {
  const flags = ts.TypeFlags;
  return flags.StringLike | flags.NumberLike | flags.BigIntLike | flags.BooleanLike | flags.EnumLike | flags.Null | flags.Undefined | flags.Void;
}

export const typedArrays: ReadonlySet<string> = new Set([
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
]);
/** Built-ins that cross bare: whatever a subclass or an intersection adds to them is lost. */
const bareBuiltins: ReadonlySet<string> = new Set([
  'Date', 'RegExp', 'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Map', 'ReadonlyMap', 'Set', 'ReadonlySet', ...typedArrays,
]);
const weakBuiltins: ReadonlySet<string> = new Set(['WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry']);
/** An Error's own fields that cross as they are (`cause` is checked once narrowed from `unknown`). */
const errorKeys: ReadonlySet<string> = new Set(['name', 'message', 'stack']);

/** Whether the check is for a value that moves (`send`) or for the value of a Mutex, RwLock or Arc (`lock`). */
export type SendMode = 'send' | 'lock';

/**
 * The Send check of one program: `fearless check` runs one per program and mode, the
 * `no-spawn-capture` lint rule one per program (see lint-rules/analysis/not-send.ts). It needs
 * only a checker, its program, the TypeScript they came from and which symbols are the package's.
 */
export class SendCheck {
  /** Verdicts that hold whatever the caller: failures, and successes not resting on a cycle. */
  private readonly settled = new Map<TS.Type, Verdict>();
  /** Types being checked, with their depth, to stop at cycles. */
  private readonly open = new Map<TS.Type, number>();
  /** The shallowest open type a cycle in the current subtree leaned on. */
  private leanedOn = Infinity;
  private readonly ts: TypeScript;
  private readonly checker: TS.TypeChecker;
  private readonly primitiveFlags: number;

  constructor(
    private readonly reader: TypeReader,
    private readonly fearless: FearlessApi,
    private readonly mode: SendMode = 'send',
  ) {
    this.ts = reader.ts;
    this.checker = reader.checker;
    this.primitiveFlags = primitiveFlags(reader.ts);
  }

  verdict(type: TS.Type): Verdict {
    return this.visit(type, 0);
  }

  private visit(type: TS.Type, depth: number): Verdict {
    const settled = this.settled.get(type);
    if (settled !== undefined) return settled;
    const openAt = this.open.get(type);
    if (openAt !== undefined) {
      this.leanedOn = Math.min(this.leanedOn, openAt);
      return ok('a recursive type, Send if the rest of it is');
    }
    this.open.set(type, depth);
    const outer = this.leanedOn;
    this.leanedOn = Infinity;
    const verdict = this.classify(type, depth);
    this.open.delete(type);
    // A success that assumed an ancestor Send may not hold for that ancestor's other callers.
    if (!verdict.ok || this.leanedOn >= depth) this.settled.set(type, verdict);
    this.leanedOn = Math.min(outer, this.leanedOn);
    return verdict;
  }

  private fail(type: TS.Type, reason: string): Failure {
    return { ok: false, reason, offending: this.reader.displayType(type), chain: [] };
  }

  private classify(type: TS.Type, depth: number): Verdict {
    const flags = type.flags;
    if (flags & this.ts.TypeFlags.Any) return ok('`any` opts out of checking (the run time reports what cannot be cloned)');
    if (flags & this.ts.TypeFlags.Unknown) return this.fail(type, notSendReasons.unknown);
    const subject = this.fearless.markerSubject(type);
    if (subject !== undefined && subject !== type) return this.visit(subject, depth + 1);
    if (flags & this.ts.TypeFlags.Never) return ok('`never` has no values');
    if (type.isUnion()) return this.union(type, depth);
    if (flags & this.primitiveFlags) return ok('a primitive, copied');
    if (flags & this.ts.TypeFlags.ESSymbolLike) return this.fail(type, notSendReasons.symbol);
    if (flags & this.ts.TypeFlags.NonPrimitive) return ok('`object` has no fields to check');
    if (flags & this.ts.TypeFlags.TypeParameter) return this.typeParameter(type, depth);
    if (flags & (this.ts.TypeFlags.Object | this.ts.TypeFlags.Intersection)) return this.object(type, depth);
    return this.deferred(type, depth);
  }

  private union(type: TS.UnionType, depth: number): Verdict {
    for (const member of type.types) {
      const verdict = this.visit(member, depth + 1);
      if (!verdict.ok) {
        return within(verdict, {
          within: this.reader.displayType(type),
          via: `union member \`${this.reader.displayType(member)}\``,
          segment: '',
        });
      }
    }
    return ok('every member of the union is Send');
  }

  private typeParameter(type: TS.Type, depth: number): Verdict {
    const constraint = this.declaredConstraint(type) ?? type.getConstraint();
    if (constraint === undefined) return this.fail(type, notSendReasons.typeParameter);
    if (this.isMarker(constraint, 'Lockable')) return ok('its bound `extends Lockable<...>` makes it Send and lockable');
    if (this.isMarker(constraint, 'Send')) {
      // Send admits channel ends, which a lock's shared memory cannot hold.
      return this.mode === 'lock' ? this.fail(type, notSendReasons.lockBound) : ok('its bound `extends Send<...>` makes it Send');
    }
    const verdict = this.visit(constraint, depth + 1);
    return verdict.ok ? ok(`its bound \`${this.reader.displayType(constraint)}\` is Send`) : verdict;
  }

  /**
   * The bound as written (`Send<V>`, `Lockable<V>`), read off the declaration: the checker's
   * `getConstraint()` resolves a conditional bound to its own constraint, where the marker's
   * name is gone.
   */
  private declaredConstraint(type: TS.Type): TS.Type | undefined {
    const declaration = type.symbol?.declarations?.find(this.ts.isTypeParameterDeclaration);
    const node = declaration === undefined ? undefined : this.ts.getEffectiveConstraintOfTypeParameter(declaration);
    return node === undefined ? undefined : this.checker.getTypeFromTypeNode(node);
  }

  /** Conditional, indexed-access and other types the checker has not resolved yet. */
  private deferred(type: TS.Type, depth: number): Verdict {
    if (this.isMarker(type, 'Send')) return ok('`Send<...>` is Send by definition');
    const constraint = this.checker.getBaseConstraintOfType(type);
    if (constraint !== undefined && constraint !== type && (constraint.flags & this.ts.TypeFlags.Unknown) === 0) {
      return this.visit(constraint, depth + 1);
    }
    // The marker type would stay deferred too: nothing can be proven either way here.
    return ok('a type that depends on type parameters, Send where it is used with Send arguments');
  }

  private isMarker(type: TS.Type, name: 'Send' | 'Sync' | 'Lockable'): boolean {
    const alias = type.aliasSymbol;
    return alias !== undefined && alias.name === name && this.fearless.isApiSymbol(alias);
  }

  private object(type: TS.Type, depth: number): Verdict {
    const checker = this.checker;
    const properties = checker.getPropertiesOfType(type);
    const brands = new Set(properties.map((property) => this.fearless.brandOf(property)));
    if (brands.has('notSend')) return this.fail(type, notSendReasons.branded);
    const unsendable = properties.find((property) => this.fearless.brandOf(property) === 'unsendable');
    if (unsendable !== undefined) {
      // What Send<T> put in place of a failed part; only its reason tells what the part was.
      const reason = stringLiteral(checker.getTypeOfSymbol(unsendable)) ?? notSendReasons.unknown;
      return reason === notSendReasons.unknown ? { ...this.fail(type, reason), offending: 'unknown' } : this.fail(type, reason);
    }
    if (brands.has('sendHandle') || brands.has('syncHandle')) {
      // Only Sync handles may live in a Mutex's, RwLock's or Arc's shared memory.
      if (this.mode === 'lock' && !brands.has('syncHandle')) return this.fail(type, notSendReasons.lockedHandle);
      const added = addedHandleMember(this.reader, this.fearless, properties);
      if (added !== undefined) return this.addedMember(type, added, notSendReasons.addedToHandle);
      return ok('a handle of this package (it carries the `sendHandle` brand)');
    }
    if (type.isIntersection() && type.types.some((member) => (member.flags & this.primitiveFlags) !== 0)) {
      return ok('a branded primitive, copied');
    }
    if (checker.getSignaturesOfType(type, this.ts.SignatureKind.Call).length > 0) return this.fail(type, notSendReasons.function);
    if (checker.getSignaturesOfType(type, this.ts.SignatureKind.Construct).length > 0) return this.fail(type, notSendReasons.function);
    const then = properties.find((property) => property.name === 'then');
    if (then !== undefined && checker.getSignaturesOfType(checker.getTypeOfSymbol(then), this.ts.SignatureKind.Call).length > 0) {
      return this.fail(type, notSendReasons.thenable);
    }
    const builtin = this.reader.libraryTypeName(type);
    if (builtin !== undefined && weakBuiltins.has(builtin)) return this.fail(type, notSendReasons.weak);
    const bare = this.bareBuiltinOf(type);
    if (bare !== undefined) return this.builtin(type, properties, bare, depth);
    if (checker.isTupleType(type)) {
      const labels = this.reader.typeArguments(type).map((_, index) => ({ via: `tuple element ${index}`, segment: `[${index}]` }));
      return this.parts(type, depth, labels, 'a tuple whose elements are Send');
    }
    if (checker.isArrayType(type)) return this.parts(type, depth, [arrayElement], 'an array whose elements are Send');
    const array = type.isIntersection() ? type.types.find((member) => checker.isArrayType(member)) : undefined;
    if (array !== undefined) {
      // Structured clone keeps an array's own named members: its items and those are checked.
      const items = this.parts(array, depth, [arrayElement], 'an array whose elements are Send');
      if (!items.ok) return items;
      const arrayKeys = new Set(checker.getPropertiesOfType(array).map((property) => property.name));
      return this.fields(type, properties.filter((property) => !arrayKeys.has(property.name)), depth);
    }
    return this.fields(type, properties, depth);
  }

  /**
   * The bare built-in `type` is, extends or is intersected with, with its name; undefined for
   * anything else. A plain object shaped like one (`{ buffer, byteOffset, byteLength }`) is not.
   */
  private bareBuiltinOf(type: TS.Type): { readonly name: string; readonly base: TS.Type } | undefined {
    const name = this.reader.libraryTypeName(type);
    if (name !== undefined) return bareBuiltins.has(name) ? { name, base: type } : undefined;
    if (type.isIntersection()) {
      for (const member of type.types) {
        const found = this.bareBuiltinOf(member);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    const target = ((type as TS.ObjectType).objectFlags & this.ts.ObjectFlags.Reference) !== 0 ? (type as TS.TypeReference).target : type;
    if (!target.isClassOrInterface()) return undefined;
    for (const base of this.checker.getBaseTypes(target)) {
      const found = this.bareBuiltinOf(base);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** A built-in that crosses bare: nothing may be added to it; a Map's or Set's parts are checked. */
  private builtin(type: TS.Type, properties: readonly TS.Symbol[], bare: { readonly name: string; readonly base: TS.Type }, depth: number): Verdict {
    const checker = this.checker;
    if (typedArrays.has(bare.name) && properties.some((property) => property.name === 'readUInt8')) {
      return this.fail(type, notSendReasons.buffer);
    }
    const baseKeys = new Set(checker.getPropertiesOfType(bare.base).map((property) => property.name));
    const added = properties.find((property) => !baseKeys.has(property.name) && !this.reader.isHiddenMember(property));
    if (added !== undefined) return this.addedMember(type, added, notSendReasons.addedMember);
    if (bare.name === 'Map' || bare.name === 'ReadonlyMap') {
      return this.parts(bare.base, depth, mapParts, 'a Map whose keys and values are Send');
    }
    if (bare.name === 'Set' || bare.name === 'ReadonlySet') return this.parts(bare.base, depth, setParts, 'a Set whose elements are Send');
    return ok(`\`${bare.name}\` is copied by the structured clone algorithm`);
  }

  /** A member added to what crosses bare (a built-in or a handle), named. */
  private addedMember(type: TS.Type, added: TS.Symbol, reason: string): Verdict {
    const checker = this.checker;
    const member = (added.flags & this.ts.SymbolFlags.Method) !== 0 ? 'method' : (added.flags & this.ts.SymbolFlags.Accessor) !== 0 ? 'accessor' : 'field';
    const name = this.reader.displayProperty(added);
    const failure = { ...this.fail(checker.getTypeOfSymbol(added), reason), offending: name };
    return within(failure, { within: this.reader.displayType(type), via: `${member} \`${name}\``, segment: propertySegment(name) });
  }

  /** Checks a generic instance's type arguments, labelled in order. */
  private parts(type: TS.Type, depth: number, labels: readonly Place[], why: string): Verdict {
    const args = this.reader.typeArguments(type);
    for (const [index, label] of labels.entries()) {
      const part = args[index];
      if (part === undefined) continue;
      const verdict = this.visit(part, depth + 1);
      if (!verdict.ok) return within(verdict, { within: this.reader.displayType(type), ...label });
    }
    return ok(why);
  }

  private fields(type: TS.Type, properties: readonly TS.Symbol[], depth: number): Verdict {
    const checker = this.checker;
    const isError = ['name', 'message'].every((key) => properties.some((property) => property.name === key));
    for (const property of properties) {
      if (this.reader.isHiddenMember(property) || (isError && errorKeys.has(property.name))) continue;
      const propertyType = checker.getTypeOfSymbol(property);
      // The lib's Error declares `cause?: unknown`, which says nothing: only a narrowed one is checked.
      if (isError && property.name === 'cause' && (propertyType.flags & this.ts.TypeFlags.Unknown) !== 0) continue;
      if ((property.escapedName as string).startsWith('__@') && this.fearless.brandOf(property) !== 'notSync') {
        const name = this.reader.displayProperty(property);
        const failure = { ...this.fail(propertyType, notSendReasons.symbolKey), offending: name };
        return within(failure, { within: this.reader.displayType(type), via: `symbol-keyed property \`${name}\``, segment: propertySegment(name) });
      }
      const verdict = this.visit(propertyType, depth + 1);
      if (verdict.ok) continue;
      const member = (property.flags & this.ts.SymbolFlags.Method) !== 0 ? 'method' : 'field';
      const name = this.reader.displayProperty(property);
      return within(verdict, { within: this.reader.displayType(type), via: `${member} \`${name}\``, segment: propertySegment(name) });
    }
    for (const index of checker.getIndexInfosOfType(type)) {
      if ((index.keyType.flags & this.ts.TypeFlags.ESSymbolLike) !== 0) {
        return within(this.fail(index.type, notSendReasons.symbolKey), {
          within: this.reader.displayType(type),
          via: 'index signature `[key: symbol]`',
          segment: '[symbol]',
        });
      }
      const verdict = this.visit(index.type, depth + 1);
      if (!verdict.ok) {
        const key = checker.typeToString(index.keyType);
        const segment = (index.keyType.flags & this.ts.TypeFlags.NumberLike) !== 0 ? '[n]' : '[key]';
        return within(verdict, { within: this.reader.displayType(type), via: `index signature \`[key: ${key}]\``, segment });
      }
    }
    if (isError) return ok('an Error whose extra fields are Send');
    return ok(properties.length === 0 ? 'an object with no fields' : 'a plain object whose fields are all Send');
  }
}
