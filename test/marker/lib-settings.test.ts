/**
 * The built declarations (dist/src/marker/*.d.ts) under every `lib` setting a user may have,
 * without skipLibCheck and without @types/node: no error inside fearless's own files (a name the
 * `lib` lacks, such as WeakRef before es2021, would be TS2304 there and would turn into `any`),
 * and the same verdicts from es2017 to esnext. Each verdict is a typed constant, so a wrong
 * answer is a compile error at its line.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileSnippets, libraryDiagnostics, type SnippetDiagnostic } from './compile.js';

/** Verdicts that hold under every lib setting: `IsSend<…>`/`IsSync<…>` assigned their answer. */
const everywhere = `
class Point { x = 0; y = 0 }
class Counter { count = 0; increment(): void { this.count++; } }
class HttpError extends Error { status = 500 }
class RetryError extends Error { attempts = 3; describe(): string { return ''; } }
class Stamp extends Date { format(): string { return ''; } }
class Registry extends Map<string, number> { lookup(key: string) { return this.get(key); } }
class Bytes extends Uint8Array { hex(): string { return ''; } }
declare const key: unique symbol;

const sends: [
  IsSend<{ id: number; tags: string[]; at: Date; ids: Set<number>; index: Map<string, number[]> }>,
  IsSend<Point>,
  IsSend<HttpError>,
  IsSend<Error>,
  IsSend<TypeError>,
  IsSend<Uint8Array>,
  IsSend<Int32Array<SharedArrayBuffer>>,
  IsSend<DataView>,
  IsSend<ArrayBuffer>,
  IsSend<SharedArrayBuffer>,
  IsSend<RegExp>,
  IsSend<[number, string]>,
  IsSend<Record<string, number>>,
  IsSend<{ buffer: ArrayBuffer; byteOffset: number; byteLength: number }>,
  IsSend<Error & { cause: { code: number } }>,
  IsSend<number[] & { total: number }>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true];

const notSends: [
  IsSend<Record<string, () => void>>,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- the global Function type is tested
  IsSend<Function>,
  IsSend<WeakMap<object, number>>,
  IsSend<WeakSet<object>>,
  IsSend<RetryError>,
  IsSend<Counter>,
  IsSend<Promise<number>>,
  IsSend<Stamp>,
  IsSend<Registry>,
  IsSend<Bytes>,
  IsSend<Date & { format: () => string }>,
  IsSend<number[] & { onPush: () => void }>,
  IsSend<{ buffer: ArrayBuffer; byteOffset: number; byteLength: number; release: () => void }>,
  IsSend<Error & { cause: () => void }>,
  IsSend<{ name: string; message: string; cause: WeakMap<object, number> }>,
  IsSend<{ [key]: number }>,
  IsSend<symbol>,
  IsSend<unknown>,
  IsSend<{ items: { cb?: () => void }[] }>,
] = [false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false];

const syncs: [IsSync<SharedArrayBuffer>, IsSync<Int32Array<SharedArrayBuffer>>, IsSync<DataView<SharedArrayBuffer>>] = [true, true, true];
const notSyncs: [
  IsSync<ArrayBuffer>,
  IsSync<Int32Array<ArrayBuffer>>,
  IsSync<{ buffer: SharedArrayBuffer; byteOffset: number; byteLength: number }>,
  IsSync<{ buffer: SharedArrayBuffer; byteOffset: number; byteLength: number; release: () => void }>,
  IsSync<Int32Array<SharedArrayBuffer> & { release: () => void }>,
] = [false, false, false, false, false];
void [sends, notSends, syncs, notSyncs];
// Sync looks a view up by its toStringTag first: only the view over shared memory is let through.
declare const viewOverShared: Int32Array<SharedArrayBuffer>;
declare const viewOverArrayBuffer: Int32Array<ArrayBuffer>;
declare const dataViewOverArrayBuffer: DataView<ArrayBuffer>;
share(viewOverShared);
// @ts-expect-error a view over an ArrayBuffer is copied, not shared
share(viewOverArrayBuffer);
// @ts-expect-error a DataView over an ArrayBuffer is copied, not shared
share(dataViewOverArrayBuffer);
`;

/** What only a later lib declares, checked where it exists. */
const es2021 = `
const refs: [IsSend<WeakRef<object>>, IsSend<FinalizationRegistry<string>>, IsSend<{ name: string; message: string; cause: WeakRef<object> }>, IsSend<AggregateError>] = [false, false, false, true];
class Failures extends AggregateError { declare errors: (() => void)[] }
const failures: IsSend<Failures> = false;
void [refs, failures];
`;

const settings = [
  { lib: ['es2017'], extra: '' },
  { lib: ['es2020'], extra: '' },
  { lib: ['es2021'], extra: es2021 },
  { lib: ['es2022'], extra: es2021 },
  { lib: ['esnext'], extra: es2021 },
] as const;

describe.each(settings)('lib $lib, no skipLibCheck, no @types/node', ({ lib, extra }) => {
  let results: Map<string, SnippetDiagnostic[]>;
  beforeAll(() => {
    results = compileSnippets({ verdicts: everywhere + extra }, { markers: 'dist', lib, types: [], checkLibraries: true });
  }, 120_000);

  it("reports nothing inside fearless's declarations", () => {
    expect(results.get(libraryDiagnostics)?.map((diagnostic) => `${diagnostic.at}: TS${diagnostic.code} ${diagnostic.text}`)).toEqual([]);
  });

  it('gives every verdict its expected answer', () => {
    expect(results.get('verdicts')?.map((diagnostic) => `${diagnostic.line}: ${diagnostic.text}`)).toEqual([]);
  });
});
