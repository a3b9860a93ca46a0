import type { TSESLint } from '@typescript-eslint/utils';
import type { Place } from './sites.js';

/**
 * The places of one file, interned: the same binding and member path is always the same object,
 * so the flow analysis can key its state by it.
 */
export class PlaceTable {
  readonly #byVariable = new Map<TSESLint.Scope.Variable, Map<string, Place>>();

  /** The place for `variable` and a member path of it (`[]`: the binding itself). */
  get(variable: TSESLint.Scope.Variable, path: readonly string[] = []): Place {
    let places = this.#byVariable.get(variable);
    if (places === undefined) {
      places = new Map();
      this.#byVariable.set(variable, places);
    }
    const key = path.join('.');
    let place = places.get(key);
    if (place === undefined) {
      place = { variable, path, name: path.length === 0 ? variable.name : `${variable.name}.${key}` };
      places.set(key, place);
    }
    return place;
  }

  /** Every place made so far rooted at `variable`. */
  of(variable: TSESLint.Scope.Variable): Place[] {
    return [...(this.#byVariable.get(variable)?.values() ?? [])];
  }
}
