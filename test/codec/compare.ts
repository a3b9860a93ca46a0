/**
 * The reference for the differential tests, and the deep comparison against it.
 *
 * `expectedOf(value)` is what structuredClone delivers, plus what fearless keeps beyond it: an
 * Error's custom name, own fields and AggregateError's `errors`, and the prototype chosen by
 * name when the name is a built-in's, else by the nearest built-in the error extends.
 * structuredClone itself makes the reference (fields included), so shared references between
 * fields and the rest of the value are its own.
 *
 * `differences(actual, expected)` walks both and lists every difference: identity topology
 * (a shared object or a cycle must map to one object, and two objects never to one), own key
 * order and attributes, holes, prototypes, typed array kind/offset/length and buffer contents,
 * Map/Set order, Date/RegExp/boxed values, and Error name/message/stack/cause/errors/fields.
 */
import { errorTypes } from './recipe.js';

const ERROR_OWN = new Set(['name', 'message', 'stack', 'cause', 'errors']);

interface Extra {
  readonly name: string;
  readonly fields: Record<string, unknown>;
  readonly errors: unknown;
  readonly hasErrors: boolean;
}

export function expectedOf(value: unknown): unknown {
  const extras: Extra[] = [];
  // Not cloned: structuredClone would copy a prototype as a plain object.
  const prototypes: object[] = [];
  eachError(value, (error) => {
    prototypes.push(prototypeFor(error));
    const fields: Record<string, unknown> = {};
    for (const key of Object.keys(error)) {
      if (!ERROR_OWN.has(key)) Object.defineProperty(fields, key, { value: (error as unknown as Record<string, unknown>)[key], enumerable: true, writable: true, configurable: true });
    }
    const hasErrors = Object.prototype.hasOwnProperty.call(error, 'errors');
    extras.push({ name: error.name, fields, errors: hasErrors ? (error as AggregateError).errors : undefined, hasErrors });
    return extras[extras.length - 1]!;
  });
  const [clone, extrasClone] = structuredClone<[unknown, Extra[]]>([value, extras]);
  let index = 0;
  eachError(clone, (error) => {
    Object.setPrototypeOf(error, prototypes[index]!);
    const extra = extrasClone[index++]!;
    if (error.name !== extra.name) Object.defineProperty(error, 'name', { value: extra.name, writable: true, configurable: true });
    if (extra.hasErrors) Object.defineProperty(error, 'errors', { value: extra.errors, writable: true, configurable: true });
    for (const key of Object.keys(extra.fields)) Object.defineProperty(error, key, { value: extra.fields[key], enumerable: true, writable: true, configurable: true });
    return extra;
  });
  return clone;
}

/** The prototype fearless gives a decoded error: by a built-in name, else the nearest built-in base. */
function prototypeFor(error: Error): object {
  const byName = errorTypes.find((type) => type.name === error.name);
  if (byName !== undefined) return byName.prototype;
  for (let index = errorTypes.length - 1; index > 0; index--) if (error instanceof errorTypes[index]!) return errorTypes[index]!.prototype;
  return Error.prototype;
}

/**
 * Visits every Error of a value once, in a fixed order; after the visit of an error, its
 * extra parts (returned by `visit`) are walked as if they were its own, so the walk of the
 * clone, once patched, goes the same way as the walk of the original.
 */
function eachError(value: unknown, visit: (error: Error) => Extra): void {
  const seen = new Set<object>();
  const walk = (current: unknown): void => {
    if (typeof current !== 'object' || current === null || seen.has(current)) return;
    seen.add(current);
    if (current instanceof Error) {
      walk(Object.prototype.hasOwnProperty.call(current, 'cause') ? current.cause : undefined);
      const extra = visit(current);
      walk(extra.errors);
      for (const key of Object.keys(extra.fields)) walk(extra.fields[key]);
    } else if (current instanceof Map) {
      for (const [key, item] of current) {
        walk(key);
        walk(item);
      }
    } else if (current instanceof Set) {
      for (const item of current) walk(item);
    } else if (!ArrayBuffer.isView(current)) {
      for (const key of Object.keys(current)) walk((current as Record<string, unknown>)[key]);
    }
  };
  walk(value);
}

export function differences(actual: unknown, expected: unknown): string[] {
  const found: string[] = [];
  const forward = new Map<object, object>();
  const backward = new Map<object, object>();

  const compare = (a: unknown, e: unknown, path: string): void => {
    if (found.length > 10) return;
    if (typeof e !== 'object' || e === null) {
      if (!Object.is(a, e)) found.push(`${path}: ${show(a)} instead of ${show(e)}`);
      return;
    }
    if (typeof a !== 'object' || a === null) {
      found.push(`${path}: ${show(a)} instead of an object`);
      return;
    }
    const mapped = forward.get(e);
    if (mapped !== undefined) {
      if (mapped !== a) found.push(`${path}: a copy where the same object as elsewhere was expected (shared reference or cycle lost)`);
      return;
    }
    if (backward.has(a)) {
      found.push(`${path}: one object where two distinct objects were expected`);
      return;
    }
    forward.set(e, a);
    backward.set(a, e);
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(e)) {
      found.push(`${path}: prototype ${describe(a)} instead of ${describe(e)}`);
      return;
    }
    if (e instanceof Error) {
      compareError(a as Error, e, path);
      return;
    }
    if (e instanceof ArrayBuffer || e instanceof SharedArrayBuffer) {
      const actualBuffer = a as ArrayBuffer;
      if (actualBuffer.byteLength !== e.byteLength) found.push(`${path}: byteLength ${actualBuffer.byteLength} instead of ${e.byteLength}`);
      else if (!new Uint8Array(actualBuffer).every((byte, index) => byte === new Uint8Array(e)[index])) found.push(`${path}: other bytes`);
      const resizable = (buffer: object): unknown => (buffer as { resizable?: boolean }).resizable;
      if (resizable(a) !== resizable(e)) found.push(`${path}: resizable ${String(resizable(a))} instead of ${String(resizable(e))}`);
      return;
    }
    if (ArrayBuffer.isView(e)) {
      const view = a as Uint8Array;
      const other = e as Uint8Array;
      if (view.byteOffset !== other.byteOffset || view.byteLength !== other.byteLength) {
        found.push(`${path}: view at ${view.byteOffset}+${view.byteLength} instead of ${other.byteOffset}+${other.byteLength}`);
      }
      compare(view.buffer, other.buffer, `${path}.buffer`);
      return;
    }
    if (e instanceof Date) {
      if (!Object.is((a as Date).getTime(), e.getTime())) found.push(`${path}: date ${(a as Date).getTime()} instead of ${e.getTime()}`);
      return;
    }
    if (e instanceof RegExp) {
      const regexp = a as RegExp;
      if (regexp.source !== e.source || regexp.flags !== e.flags || regexp.lastIndex !== e.lastIndex) found.push(`${path}: ${String(regexp)} (lastIndex ${regexp.lastIndex}) instead of ${String(e)} (${e.lastIndex})`);
      return;
    }
    if (e instanceof Number || e instanceof String || e instanceof Boolean || e instanceof BigInt) {
      compare((a as { valueOf(): unknown }).valueOf(), e.valueOf(), `${path}.valueOf()`);
      return;
    }
    if (e instanceof Map) {
      const actualEntries = [...(a as Map<unknown, unknown>)];
      const expectedEntries = [...e];
      if (actualEntries.length !== expectedEntries.length) found.push(`${path}: ${actualEntries.length} entries instead of ${expectedEntries.length}`);
      else expectedEntries.forEach(([key, item], index) => {
        compare(actualEntries[index]![0], key, `${path}.keys()[${index}]`);
        compare(actualEntries[index]![1], item, `${path}.values()[${index}]`);
      });
      return;
    }
    if (e instanceof Set) {
      const actualItems = [...(a as Set<unknown>)];
      const expectedItems = [...e];
      if (actualItems.length !== expectedItems.length) found.push(`${path}: ${actualItems.length} items instead of ${expectedItems.length}`);
      else expectedItems.forEach((item, index) => compare(actualItems[index], item, `${path}.values()[${index}]`));
      return;
    }
    compareOwn(a, e, path);
  };

  /** Own property names in order (holes and named array properties included), attributes and values. */
  const compareOwn = (a: object, e: object, path: string): void => {
    const actualKeys = Reflect.ownKeys(a);
    const expectedKeys = Reflect.ownKeys(e);
    if (actualKeys.length !== expectedKeys.length || actualKeys.some((key, index) => key !== expectedKeys[index])) {
      found.push(`${path}: own keys ${show(actualKeys.map(String).slice(0, 12))} instead of ${show(expectedKeys.map(String).slice(0, 12))}`);
      return;
    }
    for (const key of expectedKeys) {
      const actualProperty = Object.getOwnPropertyDescriptor(a, key)!;
      const expectedProperty = Object.getOwnPropertyDescriptor(e, key)!;
      if (actualProperty.enumerable !== expectedProperty.enumerable || ('value' in actualProperty) !== ('value' in expectedProperty)) {
        found.push(`${path}[${String(key)}]: other property attributes`);
      }
      compare(actualProperty.value, expectedProperty.value, `${path}[${show(String(key))}]`);
    }
  };

  const compareError = (a: Error, e: Error, path: string): void => {
    const own = (error: Error, key: string): PropertyDescriptor | undefined => Object.getOwnPropertyDescriptor(error, key);
    if (a.name !== e.name) found.push(`${path}: name ${show(a.name)} instead of ${show(e.name)}`);
    if (own(a, 'message')?.value !== own(e, 'message')?.value) found.push(`${path}: message ${show(own(a, 'message')?.value)} instead of ${show(own(e, 'message')?.value)}`);
    if (a.stack !== e.stack) found.push(`${path}: another stack`);
    if ((own(a, 'cause') === undefined) !== (own(e, 'cause') === undefined)) found.push(`${path}: cause ${own(a, 'cause') === undefined ? 'lost' : 'added'}`);
    else if (own(e, 'cause') !== undefined) compare(a.cause, e.cause, `${path}.cause`);
    if ((own(a, 'errors') === undefined) !== (own(e, 'errors') === undefined)) found.push(`${path}: errors ${own(a, 'errors') === undefined ? 'lost' : 'added'}`);
    else if (own(e, 'errors') !== undefined) compare((a as AggregateError).errors, (e as AggregateError).errors, `${path}.errors`);
    const fields = (error: Error): string[] => Object.keys(error).filter((key) => !ERROR_OWN.has(key));
    if (show(fields(a)) !== show(fields(e))) found.push(`${path}: fields ${show(fields(a))} instead of ${show(fields(e))}`);
    else for (const key of fields(e)) compare((a as unknown as Record<string, unknown>)[key], (e as unknown as Record<string, unknown>)[key], `${path}[${show(key)}]`);
  };

  compare(actual, expected, '');
  return found;
}

function describe(value: object): string {
  const prototype = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  return prototype === null ? 'null' : (prototype.constructor?.name ?? '?');
}

function show(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number' && Object.is(value, -0)) return '-0';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
