/**
 * Is a type Sync? The same answer as the `Sync<T>` marker type (src/marker/sync.ts): only the
 * package's shared-state handles, `SharedArrayBuffer` and views over one may be shared by
 * reference; everything else is copied or moved when it crosses. Unlike Send this looks at the
 * value itself, not into its fields (a plain object holding a Mutex is still copied).
 */
import { ts } from 'ts-morph';
import type { FearlessPackage } from './fearless-package.js';
import { addedHandleMember, stringLiteral, typedArrays } from './send-check.js';
import { displayProperty, displayType, libraryTypeName, ok, within, type Failure, type Verdict } from './verdict.js';

/** The marker type's reasons (NotSyncReason), word for word. */
export const notSyncReasons = {
  notShared:
    'only a SharedArrayBuffer, a view over one and the locks, atomics and Arc of this package are shared between threads; other values are copied (wrap the data in a Mutex, RwLock or Arc)',
  branded: 'this type is branded NotSync (it must not be shared between threads)',
  addedToHandle:
    'a handle of this package (Mutex, Arc, an atomic…) is shared as the bare handle: members a subclass or an intersection adds to it (fields, methods or accessors) are lost (share the handle, send the rest beside it)',
} as const;

export class SyncCheck {
  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly program: ts.Program,
    private readonly fearless: FearlessPackage,
  ) {}

  verdict(type: ts.Type): Verdict {
    const checker = this.checker;
    if (type.flags & ts.TypeFlags.Any) return ok('`any` opts out of checking');
    if (type.flags & ts.TypeFlags.Never) return ok('`never` has no values');
    const subject = this.fearless.markerSubject(type);
    if (subject !== undefined && subject !== type) return this.verdict(subject);
    if (type.isUnion()) {
      for (const member of type.types) {
        const verdict = this.verdict(member);
        if (!verdict.ok) {
          const step = { within: displayType(checker, type), via: `union member \`${displayType(checker, member)}\`` };
          return within(verdict, step);
        }
      }
      return ok('every member of the union is Sync');
    }
    if (type.flags & ts.TypeFlags.TypeParameter) {
      const constraint = type.getConstraint();
      const alias = constraint?.aliasSymbol;
      if (alias?.name === 'Sync' && this.fearless.isApiSymbol(alias)) return ok('its bound `extends Sync<...>` makes it Sync');
      if (constraint !== undefined) return this.verdict(constraint);
    }
    if (type.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection)) {
      const properties = checker.getPropertiesOfType(type);
      const brands = new Set(properties.map((property) => this.fearless.brandOf(property)));
      if (brands.has('notSync')) return this.fail(type, notSyncReasons.branded);
      const unshareable = properties.find((property) => this.fearless.brandOf(property) === 'unshareable');
      if (unshareable !== undefined) {
        return this.fail(type, stringLiteral(checker.getTypeOfSymbol(unshareable)) ?? notSyncReasons.notShared);
      }
      if (brands.has('syncHandle')) {
        const added = addedHandleMember(checker, this.fearless, properties);
        if (added === undefined) return ok('a shared-state handle of this package (it carries the `syncHandle` brand)');
        const failure = { ...this.fail(checker.getTypeOfSymbol(added), notSyncReasons.addedToHandle), offending: displayProperty(checker, added) };
        return within(failure, { within: displayType(checker, type), via: `member \`${displayProperty(checker, added)}\`` });
      }
      if (libraryTypeName(this.program, type) === 'SharedArrayBuffer') return ok('a SharedArrayBuffer is shared memory');
      // Only a real typed array or DataView over shared memory: a plain object with `buffer` and
      // `byteOffset` fields is copied, and so is anything a subclass or intersection added.
      const name = libraryTypeName(this.program, type);
      const buffer = properties.find((property) => property.name === 'buffer');
      if (
        name !== undefined &&
        (typedArrays.has(name) || name === 'DataView') &&
        buffer !== undefined &&
        libraryTypeName(this.program, checker.getTypeOfSymbol(buffer)) === 'SharedArrayBuffer'
      ) {
        return ok('a view over a SharedArrayBuffer');
      }
    }
    return this.fail(type, notSyncReasons.notShared);
  }

  private fail(type: ts.Type, reason: string): Failure {
    return { ok: false, reason, offending: displayType(this.checker, type), chain: [] };
  }
}
