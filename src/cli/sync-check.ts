/**
 * Is a type Sync? The same answer as the `Sync<T>` marker type (src/marker/sync.ts): only the
 * package's shared-state handles, `SharedArrayBuffer` and views over one may be shared by
 * reference; everything else is copied or moved when it crosses. Unlike Send this looks at the
 * value itself, not into its fields (a plain object holding a Mutex is still copied).
 */
import type * as TS from 'typescript';
import { NOT_SYNC_REASONS } from '../marker/reasons.js';
import type { FearlessApi } from './fearless-package.js';
import { typedArrays } from './send-check.js';
import { addedHandleMember, ok, stringLiteral, within, type Failure, type TypeReader, type Verdict } from './verdict.js';

/** The marker type's reasons (NotSyncReason), read off the one table. */
export const notSyncReasons = NOT_SYNC_REASONS;

export class SyncCheck {
  constructor(
    private readonly reader: TypeReader,
    private readonly fearless: FearlessApi,
  ) {}

  verdict(type: TS.Type): Verdict {
    const { ts, checker } = this.reader;
    if (type.flags & ts.TypeFlags.Any) return ok('`any` opts out of checking');
    if (type.flags & ts.TypeFlags.Never) return ok('`never` has no values');
    const subject = this.fearless.markerSubject(type);
    if (subject !== undefined && subject !== type) return this.verdict(subject);
    if (type.isUnion()) {
      for (const member of type.types) {
        const verdict = this.verdict(member);
        if (!verdict.ok) {
          const step = { within: this.reader.displayType(type), via: `union member \`${this.reader.displayType(member)}\``, segment: '' };
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
        return this.fail(type, stringLiteral(checker.getTypeOfSymbol(unshareable)) ?? notSyncReasons.copied);
      }
      if (brands.has('syncHandle')) {
        const added = addedHandleMember(this.reader, this.fearless, properties);
        if (added === undefined) return ok('a shared-state handle of this package (it carries the `syncHandle` brand)');
        const name = this.reader.displayProperty(added);
        const failure = { ...this.fail(checker.getTypeOfSymbol(added), notSyncReasons.addedToHandle), offending: name };
        return within(failure, { within: this.reader.displayType(type), via: `member \`${name}\``, segment: `.${name}` });
      }
      if (this.reader.libraryTypeName(type) === 'SharedArrayBuffer') return ok('a SharedArrayBuffer is shared memory');
      // Only a real typed array or DataView over shared memory: a plain object with `buffer` and
      // `byteOffset` fields is copied, and so is anything a subclass or intersection added.
      const name = this.reader.libraryTypeName(type);
      const buffer = properties.find((property) => property.name === 'buffer');
      if (
        name !== undefined &&
        (typedArrays.has(name) || name === 'DataView') &&
        buffer !== undefined &&
        this.reader.libraryTypeName(checker.getTypeOfSymbol(buffer)) === 'SharedArrayBuffer'
      ) {
        return ok('a view over a SharedArrayBuffer');
      }
    }
    return this.fail(type, notSyncReasons.copied);
  }

  private fail(type: TS.Type, reason: string): Failure {
    return { ok: false, reason, offending: this.reader.displayType(type), chain: [] };
  }
}
