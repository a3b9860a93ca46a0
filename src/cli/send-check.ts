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
import { ts } from 'ts-morph';
import type { FearlessPackage } from './fearless-package.js';
import {
  displayProperty,
  displayType,
  isHiddenMember,
  libraryTypeName,
  ok,
  typeArguments,
  within,
  type Failure,
  type Verdict,
} from './verdict.js';

/**
 * The marker type's reasons (NotSendReason), word for word, so a note reads like the checker's
 * own error for the same type.
 */
export const notSendReasons = {
  function: 'functions cannot cross a worker boundary (send plain data; the methods of a class instance are functions too)',
  thenable: 'a Promise or thenable cannot cross a worker boundary (await it and send the result)',
  symbol: 'symbols cannot cross a worker boundary (a symbol is unique to its thread: use a string)',
  unknown: 'unknown cannot be proven Send (narrow it to a concrete type first)',
  weak: 'WeakMap, WeakSet, WeakRef and FinalizationRegistry cannot cross a worker boundary (send a Map, a Set or the value itself)',
  branded: 'this type is branded NotSend (it must stay on the thread that made it)',
  symbolKey: 'symbol-keyed properties do not cross a worker boundary (the structured clone algorithm drops them: use a string key)',
  addedMember:
    'a Date, RegExp, Map, Set, ArrayBuffer, typed array or DataView crosses as the bare built-in: members added to it (fields or methods) are lost (send them beside it, in a plain object)',
  buffer:
    'a Buffer arrives as a plain Uint8Array (its methods are lost): send new Uint8Array(buf) and rebuild it with Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)',
  lockedHandle:
    'a Sender, SyncSender or Receiver cannot be stored in a Mutex, RwLock or Arc (only Sync handles can): send it through a channel or move it into spawn instead',
  addedToHandle:
    'a handle of this package (Mutex, Sender, Arc…) crosses as the bare handle: members a subclass or an intersection adds to it (fields, methods or accessors) are lost (send them beside it, in a plain object)',
  lockBound:
    'a type parameter bounded by Send<V> may be a Sender, SyncSender or Receiver, which a Mutex, RwLock or Arc cannot hold: bound it by Lockable<V> instead (a Lockable<V> is Send too)',
  // The CLI's own: the marker type leaves an unbounded parameter for the caller to decide.
  typeParameter: 'a type parameter without a Send bound could be anything (declare it as `T extends Send<T>`)',
} as const;

const primitiveFlags =
  ts.TypeFlags.StringLike |
  ts.TypeFlags.NumberLike |
  ts.TypeFlags.BigIntLike |
  ts.TypeFlags.BooleanLike |
  ts.TypeFlags.EnumLike |
  ts.TypeFlags.Null |
  ts.TypeFlags.Undefined |
  ts.TypeFlags.Void;

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

/** The text of a string literal type (an `Unsendable<Why>`'s reason). */
export function stringLiteral(type: ts.Type): string | undefined {
  return type.isStringLiteral() ? type.value : undefined;
}

export class SendCheck {
  /** Verdicts that hold whatever the caller: failures, and successes not resting on a cycle. */
  private readonly settled = new Map<ts.Type, Verdict>();
  /** Types being checked, with their depth, to stop at cycles. */
  private readonly open = new Map<ts.Type, number>();
  /** The shallowest open type a cycle in the current subtree leaned on. */
  private leanedOn = Infinity;

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly program: ts.Program,
    private readonly fearless: FearlessPackage,
    private readonly mode: SendMode = 'send',
  ) {}

  verdict(type: ts.Type): Verdict {
    return this.visit(type, 0);
  }

  private visit(type: ts.Type, depth: number): Verdict {
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

  private fail(type: ts.Type, reason: string): Failure {
    return { ok: false, reason, offending: displayType(this.checker, type), chain: [] };
  }

  private classify(type: ts.Type, depth: number): Verdict {
    const flags = type.flags;
    if (flags & ts.TypeFlags.Any) return ok('`any` opts out of checking (the run time reports what cannot be cloned)');
    if (flags & ts.TypeFlags.Unknown) return this.fail(type, notSendReasons.unknown);
    const subject = this.fearless.markerSubject(type);
    if (subject !== undefined && subject !== type) return this.visit(subject, depth + 1);
    if (flags & ts.TypeFlags.Never) return ok('`never` has no values');
    if (type.isUnion()) return this.union(type, depth);
    if (flags & primitiveFlags) return ok('a primitive, copied');
    if (flags & ts.TypeFlags.ESSymbolLike) return this.fail(type, notSendReasons.symbol);
    if (flags & ts.TypeFlags.NonPrimitive) return ok('`object` has no fields to check');
    if (flags & ts.TypeFlags.TypeParameter) return this.typeParameter(type, depth);
    if (flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection)) return this.object(type, depth);
    return this.deferred(type, depth);
  }

  private union(type: ts.UnionType, depth: number): Verdict {
    for (const member of type.types) {
      const verdict = this.visit(member, depth + 1);
      if (!verdict.ok) {
        return within(verdict, {
          within: displayType(this.checker, type),
          via: `union member \`${displayType(this.checker, member)}\``,
        });
      }
    }
    return ok('every member of the union is Send');
  }

  private typeParameter(type: ts.Type, depth: number): Verdict {
    const constraint = this.declaredConstraint(type) ?? type.getConstraint();
    if (constraint === undefined) return this.fail(type, notSendReasons.typeParameter);
    if (this.isMarker(constraint, 'Lockable')) return ok('its bound `extends Lockable<...>` makes it Send and lockable');
    if (this.isMarker(constraint, 'Send')) {
      // Send admits channel ends, which a lock's shared memory cannot hold.
      return this.mode === 'lock' ? this.fail(type, notSendReasons.lockBound) : ok('its bound `extends Send<...>` makes it Send');
    }
    const verdict = this.visit(constraint, depth + 1);
    return verdict.ok ? ok(`its bound \`${displayType(this.checker, constraint)}\` is Send`) : verdict;
  }

  /**
   * The bound as written (`Send<V>`, `Lockable<V>`), read off the declaration: the checker's
   * `getConstraint()` resolves a conditional bound to its own constraint, where the marker's
   * name is gone.
   */
  private declaredConstraint(type: ts.Type): ts.Type | undefined {
    const declaration = type.symbol?.declarations?.find(ts.isTypeParameterDeclaration);
    const node = declaration === undefined ? undefined : ts.getEffectiveConstraintOfTypeParameter(declaration);
    return node === undefined ? undefined : this.checker.getTypeFromTypeNode(node);
  }

  /** Conditional, indexed-access and other types the checker has not resolved yet. */
  private deferred(type: ts.Type, depth: number): Verdict {
    if (this.isMarker(type, 'Send')) return ok('`Send<...>` is Send by definition');
    const constraint = this.checker.getBaseConstraintOfType(type);
    if (constraint !== undefined && constraint !== type && (constraint.flags & ts.TypeFlags.Unknown) === 0) {
      return this.visit(constraint, depth + 1);
    }
    // The marker type would stay deferred too: nothing can be proven either way here.
    return ok('a type that depends on type parameters, Send where it is used with Send arguments');
  }

  private isMarker(type: ts.Type, name: 'Send' | 'Sync' | 'Lockable'): boolean {
    const alias = type.aliasSymbol;
    return alias !== undefined && alias.name === name && this.fearless.isApiSymbol(alias);
  }

  private object(type: ts.Type, depth: number): Verdict {
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
      const added = addedHandleMember(checker, this.fearless, properties);
      if (added !== undefined) return this.addedMember(type, added, notSendReasons.addedToHandle);
      return ok('a handle of this package (it carries the `sendHandle` brand)');
    }
    if (type.isIntersection() && type.types.some((member) => (member.flags & primitiveFlags) !== 0)) {
      return ok('a branded primitive, copied');
    }
    if (checker.getSignaturesOfType(type, ts.SignatureKind.Call).length > 0) return this.fail(type, notSendReasons.function);
    if (checker.getSignaturesOfType(type, ts.SignatureKind.Construct).length > 0) return this.fail(type, notSendReasons.function);
    const then = properties.find((property) => property.name === 'then');
    if (then !== undefined && checker.getSignaturesOfType(checker.getTypeOfSymbol(then), ts.SignatureKind.Call).length > 0) {
      return this.fail(type, notSendReasons.thenable);
    }
    const builtin = libraryTypeName(this.program, type);
    if (builtin !== undefined && weakBuiltins.has(builtin)) return this.fail(type, notSendReasons.weak);
    const bare = this.bareBuiltinOf(type);
    if (bare !== undefined) return this.builtin(type, properties, bare, depth);
    if (checker.isTupleType(type)) {
      const labels = typeArguments(checker, type).map((_, index) => `tuple element ${index}`);
      return this.parts(type, depth, labels, 'a tuple whose elements are Send');
    }
    if (checker.isArrayType(type)) return this.parts(type, depth, ['array element'], 'an array whose elements are Send');
    const array = type.isIntersection() ? type.types.find((member) => checker.isArrayType(member)) : undefined;
    if (array !== undefined) {
      // Structured clone keeps an array's own named members: its items and those are checked.
      const items = this.parts(array, depth, ['array element'], 'an array whose elements are Send');
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
  private bareBuiltinOf(type: ts.Type): { readonly name: string; readonly base: ts.Type } | undefined {
    const name = libraryTypeName(this.program, type);
    if (name !== undefined) return bareBuiltins.has(name) ? { name, base: type } : undefined;
    if (type.isIntersection()) {
      for (const member of type.types) {
        const found = this.bareBuiltinOf(member);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    const target = ((type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference) !== 0 ? (type as ts.TypeReference).target : type;
    if (!target.isClassOrInterface()) return undefined;
    for (const base of this.checker.getBaseTypes(target)) {
      const found = this.bareBuiltinOf(base);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** A built-in that crosses bare: nothing may be added to it; a Map's or Set's parts are checked. */
  private builtin(type: ts.Type, properties: readonly ts.Symbol[], bare: { readonly name: string; readonly base: ts.Type }, depth: number): Verdict {
    const checker = this.checker;
    if (typedArrays.has(bare.name) && properties.some((property) => property.name === 'readUInt8')) {
      return this.fail(type, notSendReasons.buffer);
    }
    const baseKeys = new Set(checker.getPropertiesOfType(bare.base).map((property) => property.name));
    const added = properties.find((property) => !baseKeys.has(property.name) && !isHiddenMember(property));
    if (added !== undefined) return this.addedMember(type, added, notSendReasons.addedMember);
    if (bare.name === 'Map' || bare.name === 'ReadonlyMap') {
      return this.parts(bare.base, depth, ['Map key', 'Map value'], 'a Map whose keys and values are Send');
    }
    if (bare.name === 'Set' || bare.name === 'ReadonlySet') return this.parts(bare.base, depth, ['Set element'], 'a Set whose elements are Send');
    return ok(`\`${bare.name}\` is copied by the structured clone algorithm`);
  }

  /** A member added to what crosses bare (a built-in or a handle), named. */
  private addedMember(type: ts.Type, added: ts.Symbol, reason: string): Verdict {
    const checker = this.checker;
    const member = (added.flags & ts.SymbolFlags.Method) !== 0 ? 'method' : (added.flags & ts.SymbolFlags.Accessor) !== 0 ? 'accessor' : 'field';
    const failure = { ...this.fail(checker.getTypeOfSymbol(added), reason), offending: displayProperty(checker, added) };
    return within(failure, { within: displayType(checker, type), via: `${member} \`${displayProperty(checker, added)}\`` });
  }

  /** Checks a generic instance's type arguments, labelled in order. */
  private parts(type: ts.Type, depth: number, labels: readonly string[], why: string): Verdict {
    const args = typeArguments(this.checker, type);
    for (const [index, label] of labels.entries()) {
      const part = args[index];
      if (part === undefined) continue;
      const verdict = this.visit(part, depth + 1);
      if (!verdict.ok) return within(verdict, { within: displayType(this.checker, type), via: label });
    }
    return ok(why);
  }

  private fields(type: ts.Type, properties: readonly ts.Symbol[], depth: number): Verdict {
    const checker = this.checker;
    const isError = ['name', 'message'].every((key) => properties.some((property) => property.name === key));
    for (const property of properties) {
      if (isHiddenMember(property) || (isError && errorKeys.has(property.name))) continue;
      const propertyType = checker.getTypeOfSymbol(property);
      // The lib's Error declares `cause?: unknown`, which says nothing: only a narrowed one is checked.
      if (isError && property.name === 'cause' && (propertyType.flags & ts.TypeFlags.Unknown) !== 0) continue;
      if ((property.escapedName as string).startsWith('__@') && this.fearless.brandOf(property) !== 'notSync') {
        const failure = { ...this.fail(propertyType, notSendReasons.symbolKey), offending: displayProperty(checker, property) };
        return within(failure, { within: displayType(checker, type), via: `symbol-keyed property \`${displayProperty(checker, property)}\`` });
      }
      const verdict = this.visit(propertyType, depth + 1);
      if (verdict.ok) continue;
      const member = (property.flags & ts.SymbolFlags.Method) !== 0 ? 'method' : 'field';
      return within(verdict, { within: displayType(checker, type), via: `${member} \`${displayProperty(checker, property)}\`` });
    }
    for (const index of checker.getIndexInfosOfType(type)) {
      if ((index.keyType.flags & ts.TypeFlags.ESSymbolLike) !== 0) {
        return within(this.fail(index.type, notSendReasons.symbolKey), {
          within: displayType(checker, type),
          via: 'index signature `[key: symbol]`',
        });
      }
      const verdict = this.visit(index.type, depth + 1);
      if (!verdict.ok) {
        const key = checker.typeToString(index.keyType);
        return within(verdict, { within: displayType(checker, type), via: `index signature \`[key: ${key}]\`` });
      }
    }
    if (isError) return ok('an Error whose extra fields are Send');
    return ok(properties.length === 0 ? 'an object with no fields' : 'a plain object whose fields are all Send');
  }
}

/**
 * The first member of a handle type that its handle class does not declare (a user subclass's
 * method, an intersection's field), read off the class's `[handleMembers]` field, as `Send<T>`
 * and `Sync<T>` read it; undefined when there is none, or no such field to compare with.
 */
export function addedHandleMember(checker: ts.TypeChecker, fearless: FearlessPackage, properties: readonly ts.Symbol[]): ts.Symbol | undefined {
  const field = properties.find((property) => fearless.brandOf(property) === 'handleMembers');
  if (field === undefined) return undefined;
  const keysType = checker.getTypeOfSymbol(field);
  const keys = new Set<string>();
  for (const key of keysType.isUnion() ? keysType.types : [keysType]) {
    if (key.isStringLiteral()) keys.add(ts.escapeLeadingUnderscores(key.value) as string);
    else if (key.isNumberLiteral()) keys.add(String(key.value));
    else if ((key.flags & ts.TypeFlags.UniqueESSymbol) !== 0) keys.add((key as ts.UniqueESSymbolType).escapedName as string);
  }
  return properties.find((property) => !keys.has(property.escapedName as string) && !isHiddenMember(property));
}