/**
 * Random values for the differential tests, as recipes: plain data that fast-check generates
 * and shrinks, and that `build` turns into a fresh value each time (a path that moves
 * ArrayBuffers detaches them, so every path needs a value of its own).
 */
import fc from 'fast-check';

export type Primitive = number | string | boolean | bigint | null | undefined;

export type Recipe =
  | { readonly t: 'prim'; readonly v: Primitive }
  | { readonly t: 'obj'; readonly entries: readonly (readonly [string, Recipe])[]; readonly instance: boolean }
  | { readonly t: 'arr'; readonly items: readonly (Recipe | 'hole')[]; readonly named: readonly (readonly [string, Recipe])[]; readonly far: boolean }
  | { readonly t: 'map'; readonly entries: readonly (readonly [Recipe, Recipe])[] }
  | { readonly t: 'set'; readonly items: readonly Recipe[] }
  | { readonly t: 'date'; readonly ms: number }
  | { readonly t: 're'; readonly source: string; readonly flags: string; readonly lastIndex: number }
  | { readonly t: 'err'; readonly type: number; readonly message: string; readonly name: string | undefined; readonly cause: Recipe | undefined; readonly fields: readonly (readonly [string, Recipe])[]; readonly errors: readonly Recipe[] }
  | { readonly t: 'view'; readonly kind: number; readonly bytes: number; readonly offset: number; readonly length: number; readonly shared: boolean }
  | { readonly t: 'ab'; readonly bytes: readonly number[]; readonly resizable: boolean }
  | { readonly t: 'boxed'; readonly v: number | string | boolean | bigint }
  | { readonly t: 'nodeBuffer'; readonly text: string }
  | { readonly t: 'bad'; readonly kind: number };

/** A value: a recipe and extra references (from container `i` to container `j`) for sharing and cycles. */
export interface ValueRecipe {
  readonly root: Recipe;
  readonly links: readonly (readonly [number, number])[];
}

/** Keys that look like what earlier encoders read as markers, and keys with a meaning of their own. */
const trickyKeys = [
  '__proto__', '\u0000fearless.withHandles', '\u0000fearless.handle', '\u0000fearless.error', 'constructor', 'toString',
  'then', '0', '1', '4294967294', '-0', '', 'hasOwnProperty', 'prototype',
];

const key = fc.oneof({ weight: 3, arbitrary: fc.string({ maxLength: 8 }) }, { weight: 2, arbitrary: fc.constantFrom(...trickyKeys) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) });
/** Array named properties: not an index, not `length`. */
const namedKey = key.filter((name) => name !== 'length' && !isIndex(name));

const primitive: fc.Arbitrary<Primitive> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(-0, NaN, Infinity, -Infinity, 2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  // Lone surrogates, and a string long enough for the other string encodings.
  fc.constantFrom('\ud800', 'a\udc00b', '\udfff\ud800', 'é'.repeat(70), 'x'.repeat(300)),
  fc.boolean(),
  fc.bigInt(),
  fc.constantFrom(null, undefined),
);

/** ERROR_TYPES order of src/codec/tags.ts. */
export const errorTypes: readonly (ErrorConstructor | AggregateErrorConstructor)[] = [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError, AggregateError];
export const viewTypes = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array, DataView] as const;

const view: fc.Arbitrary<Recipe> = fc
  .record({ kind: fc.integer({ min: 0, max: viewTypes.length - 1 }), elements: fc.nat(6), before: fc.nat(3), after: fc.nat(3), shared: fc.boolean() })
  .map(({ kind, elements, before, after, shared }) => {
    const size = kind === viewTypes.length - 1 ? 1 : (viewTypes[kind] as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
    return { t: 'view', kind, bytes: (before + elements + after) * size, offset: before * size, length: elements, shared: shared && kind % 4 === 0 } as const;
  });

export function recipes({ withBad = false } = {}): fc.Arbitrary<Recipe> {
  const { value } = fc.letrec<{ value: Recipe; leaf: Recipe; node: Recipe }>((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, { weight: 3, arbitrary: tie('leaf') }, { weight: 2, arbitrary: tie('node') }),
    leaf: fc.oneof(
      { weight: 6, arbitrary: primitive.map((v) => ({ t: 'prim', v }) as const) },
      { weight: 1, arbitrary: fc.oneof(fc.integer({ min: -8.64e15, max: 8.64e15 }), fc.constant(NaN)).map((ms) => ({ t: 'date', ms }) as const) },
      {
        weight: 1,
        arbitrary: fc
          .record({ source: fc.constantFrom('a+', '^x$', '[\\u0000-\\uffff]', '(?<name>b)', '\\d{2,}'), flags: fc.subarray(['g', 'i', 'm', 's', 'u', 'y', 'd']), lastIndex: fc.nat(5) })
          .map(({ source, flags, lastIndex }) => ({ t: 're', source, flags: flags.join(''), lastIndex }) as const),
      },
      { weight: 1, arbitrary: view },
      { weight: 1, arbitrary: fc.record({ bytes: fc.array(fc.nat(255), { maxLength: 8 }), resizable: fc.boolean() }).map(({ bytes, resizable }) => ({ t: 'ab', bytes, resizable }) as const) },
      { weight: 1, arbitrary: fc.oneof(fc.double(), fc.string({ maxLength: 4 }), fc.boolean(), fc.bigInt()).map((v) => ({ t: 'boxed', v }) as const) },
      { weight: 1, arbitrary: fc.string({ maxLength: 6 }).map((text) => ({ t: 'nodeBuffer', text }) as const) },
      ...(withBad ? [{ weight: 2, arbitrary: fc.integer({ min: 0, max: badKinds - 1 }).map((kind) => ({ t: 'bad', kind }) as const) }] : []),
    ),
    node: fc.oneof(
      { weight: 3, arbitrary: fc.record({ entries: fc.array(fc.tuple(key, tie('value')), { maxLength: 5 }), instance: fc.boolean() }).map(({ entries, instance }) => ({ t: 'obj', entries: dedupe(entries), instance }) as const) },
      {
        weight: 3,
        arbitrary: fc
          .record({ items: fc.array(fc.oneof({ weight: 4, arbitrary: tie('value') }, { weight: 1, arbitrary: fc.constant('hole' as const) }), { maxLength: 6 }), named: fc.array(fc.tuple(namedKey, tie('value')), { maxLength: 2 }), far: fc.boolean() })
          .map(({ items, named, far }) => ({ t: 'arr', items, named: dedupe(named), far: far && items.length < 3 }) as const),
      },
      { weight: 1, arbitrary: fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 4 }).map((entries) => ({ t: 'map', entries }) as const) },
      { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 4 }).map((items) => ({ t: 'set', items }) as const) },
      {
        weight: 1,
        arbitrary: fc
          .record({
            type: fc.integer({ min: 0, max: errorTypes.length - 1 }),
            message: fc.string({ maxLength: 8 }),
            name: fc.option(fc.constantFrom('ValidationError', 'TypeError', 'Error', 'HttpError'), { nil: undefined }),
            cause: fc.option(tie('value'), { nil: undefined }),
            fields: fc.array(fc.tuple(key.filter((name) => !['name', 'message', 'stack', 'cause', 'errors'].includes(name)), tie('value')), { maxLength: 2 }),
            errors: fc.array(tie('value'), { maxLength: 2 }),
          })
          .map((error) => ({ t: 'err', ...error, fields: dedupe(error.fields) }) as const),
      },
    ),
  }));
  return value;
}

export function valueRecipes(options: { withBad?: boolean } = {}): fc.Arbitrary<ValueRecipe> {
  return fc.record({ root: recipes(options), links: fc.array(fc.tuple(fc.nat(20), fc.nat(20)), { maxLength: 4 }) });
}

const badKinds = 7;

/** Builds a fresh value; containers are listed in build order for the links. */
export function build(recipe: ValueRecipe): unknown {
  const containers: object[] = [];
  const root = make(recipe.root, containers);
  if (containers.length > 0) {
    recipe.links.forEach(([from, to], index) => {
      const source = containers[from % containers.length]!;
      const target = containers[to % containers.length]!;
      if (source instanceof Map) source.set(`link${index}`, target);
      else if (source instanceof Set) source.add(target);
      // (A sparse array's length is at its maximum: no push.)
      else if (Array.isArray(source) && source.length < 2 ** 32 - 2) source.push(target);
      else define(source, `link${index}`, target);
    });
  }
  return root;
}

class Record_ {}

function make(recipe: Recipe, containers: object[]): unknown {
  switch (recipe.t) {
    case 'prim':
      return recipe.v;
    case 'obj': {
      const object: object = recipe.instance ? new Record_() : {};
      containers.push(object);
      for (const [name, item] of recipe.entries) define(object, name, make(item, containers));
      return object;
    }
    case 'arr': {
      const array: unknown[] = [];
      containers.push(array);
      recipe.items.forEach((item, index) => {
        if (item === 'hole') array.length = index + 1;
        else array[index] = make(item, containers);
      });
      // A sparse array: one element far away (structuredClone sends present entries only).
      if (recipe.far) array[2 ** 32 - 2] = 'far';
      for (const [name, item] of recipe.named) define(array, name, make(item, containers));
      return array;
    }
    case 'map': {
      const map = new Map<unknown, unknown>();
      containers.push(map);
      for (const [name, item] of recipe.entries) map.set(make(name, containers), make(item, containers));
      return map;
    }
    case 'set': {
      const set = new Set<unknown>();
      containers.push(set);
      for (const item of recipe.items) set.add(make(item, containers));
      return set;
    }
    case 'date':
      return new Date(recipe.ms);
    case 're': {
      const regexp = new RegExp(recipe.source, recipe.flags);
      regexp.lastIndex = recipe.lastIndex;
      return regexp;
    }
    case 'err': {
      const Type = errorTypes[recipe.type]!;
      const options = recipe.cause === undefined ? undefined : { cause: make(recipe.cause, containers) };
      const error = Type === AggregateError ? new AggregateError(recipe.errors.map((item) => make(item, containers)), recipe.message, options) : new (Type as ErrorConstructor)(recipe.message, options);
      if (recipe.name !== undefined) error.name = recipe.name;
      // The same stack on every build (a captured one names the caller).
      Object.defineProperty(error, 'stack', { value: `${error.name}: ${recipe.message}\n    at recipe (test/codec/recipe.ts)`, writable: true, configurable: true });
      for (const [name, item] of recipe.fields) define(error, name, make(item, containers));
      return error;
    }
    case 'view': {
      const buffer = recipe.shared ? new SharedArrayBuffer(recipe.bytes) : new ArrayBuffer(recipe.bytes);
      const bytes = new Uint8Array(buffer);
      for (let index = 0; index < bytes.length; index++) bytes[index] = (index * 37 + recipe.bytes) & 0xff;
      const Type = viewTypes[recipe.kind] as unknown as new (buffer: ArrayBufferLike, offset: number, length: number) => ArrayBufferView;
      return new Type(buffer, recipe.offset, recipe.length);
    }
    case 'ab': {
      const buffer = recipe.resizable ? new (ArrayBuffer as new (length: number, options: { maxByteLength: number }) => ArrayBuffer)(recipe.bytes.length, { maxByteLength: 64 }) : new ArrayBuffer(recipe.bytes.length);
      new Uint8Array(buffer).set(recipe.bytes);
      return buffer;
    }
    case 'boxed':
      return Object(recipe.v) as object;
    case 'nodeBuffer': {
      // A Buffer over memory of its own (a pooled one's offset changes from build to build).
      const bytes = Buffer.from(recipe.text);
      const memory = new ArrayBuffer(bytes.length + 4);
      new Uint8Array(memory).set(bytes, 2);
      return Buffer.from(memory, 2, bytes.length);
    }
    case 'bad':
      return bad(recipe.kind);
  }
}

/** What structuredClone refuses (and, last, what this package refuses beyond it). */
function bad(kind: number): unknown {
  switch (kind) {
    case 0:
      return function named() {};
    case 1:
      return Symbol('s');
    case 2:
      return Promise.resolve(1);
    case 3:
      return new WeakMap();
    case 4:
      return new WeakRef({});
    case 5:
      return Object(Symbol('boxed')) as object;
    default:
      return new (class Job {
        run(): void {}
      })();
  }
}

function define(object: object, name: string, value: unknown): void {
  Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true });
}

function dedupe<Item>(entries: readonly (readonly [string, Item])[]): (readonly [string, Item])[] {
  const seen = new Set<string>();
  return entries.filter(([name]) => !seen.has(name) && seen.add(name) !== undefined);
}

function isIndex(name: string): boolean {
  return /^(0|[1-9]\d*)$/.test(name) && Number(name) < 2 ** 32 - 1;
}
