/**
 * Generates the `npm run bench:types` projects: call sites posting large message interfaces
 * (200 fields: primitives, arrays, tuples, maps, inline nested objects, optional and readonly
 * fields). With few message types the checker's caches serve most call sites, as in an
 * application that sends a handful of message types from many places; with one type per call
 * site every check starts from scratch, the worst case.
 *
 * The same call sites are written twice: once against the real marker declarations (the built
 * dist/src/marker/*.d.ts, what a user's project reads) and once against declarations where the
 * check is replaced by plain `T` (the non-distributive wrapper stays, since `<T extends T>`
 * would be a circular constraint). A third project, `floor`, has the cheapest recursive check
 * there is, for reference. All projects use skipLibCheck, as this repository and most
 * projects do, so neither pays for checking the declarations themselves. The difference
 * between the two compilations is what the marker types cost at call sites.
 */
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface ProjectShape {
  /** Number of call sites. */
  readonly callSites: number;
  /** Distinct message interfaces; call site `i` posts message type `i % messageTypes`. */
  readonly messageTypes: number;
  /** Fields per message interface. */
  readonly fields: number;
}

/**
 * One field type per index, cycling through what application messages carry: mostly
 * primitives, arrays and shared types, plus inline nested objects (each a distinct type the
 * checker must walk: 3 of every 16 fields here, 5 object types).
 */
const fieldKinds: readonly ((index: number) => string)[] = [
  () => 'number',
  () => 'string',
  () => 'boolean',
  () => 'readonly string[]',
  () => '"idle" | "busy" | "done"',
  () => 'Date',
  () => 'number | null',
  () => '{ readonly x: number; readonly y: number; label?: string }',
  () => 'Point',
  () => 'Point[]',
  () => 'Map<string, number>',
  () => 'Set<string>',
  () => '[id: number, name: string]',
  (index) => `{ level${index}: { items: { id: number; value: string }[]; total: bigint } }`,
  () => 'Uint8Array',
  () => 'bigint',
];

function messageInterface(type: number, fields: number): string {
  const lines = [`export interface Message${type} {`];
  for (let field = 0; field < fields; field++) {
    const kind = fieldKinds[field % fieldKinds.length]!;
    const modifier = field % 7 === 3 ? 'readonly ' : '';
    const optional = field % 5 === 4 ? '?' : '';
    lines.push(`  ${modifier}f${field}${optional}: ${kind(field)};`);
  }
  lines.push('}');
  return lines.join('\n');
}

function callSites(shape: ProjectShape): string {
  const lines = [
    "import type { Send, Sync } from './marker/index.js';",
    "import type * as M from './messages.js';",
    '',
    'declare function post<Message extends Send<Message>>(message: Message): void;',
    'declare function share<Shared extends Sync<Shared>>(shared: Shared): void;',
    '',
  ];
  for (let type = 0; type < shape.messageTypes; type++) lines.push(`declare const message${type}: M.Message${type};`);
  for (let site = 0; site < shape.callSites; site++) {
    const type = site % shape.messageTypes;
    // A relay posts the message itself and wraps it in a fresh literal (a new type per site).
    lines.push(`post(message${type});`, `post({ seq: ${site}, body: message${type}, sent: new Date() });`);
  }
  lines.push('share(new SharedArrayBuffer(8));', 'share(new Int32Array(new SharedArrayBuffer(8)));', '');
  return lines.join('\n');
}

const plainMarkers = `/** The bench baseline: the same bounds with the check replaced by plain \`T\`. */
export declare type Send<Value> = [Value] extends [infer Inferred] ? Inferred : never;
export declare type Sync<Value> = [Value] extends [infer Inferred] ? Inferred : never;
`;

/**
 * A reference point, not a product: the cheapest recursive check there is (primitives pass,
 * objects are mapped field by field; no reasons, no special types, not even correct for
 * functions). What it costs over plain `T` is the price of walking every field at all.
 */
const floorMarkers = `export declare type Send<Value> = [Value] extends [infer Inferred] ? SendCheck<Inferred> : never;
type SendCheck<Value> = Value extends string | number | boolean | bigint | null | undefined | void
  ? Value
  : { [Key in keyof Value]: SendCheck<Value[Key]> };
export declare type Sync<Value> = [Value] extends [infer Inferred] ? Inferred : never;
`;

const tsconfig = {
  compilerOptions: {
    target: 'es2022',
    lib: ['es2022', 'esnext.disposable'],
    module: 'nodenext',
    moduleResolution: 'nodenext',
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  },
  include: ['*.ts'],
};

/**
 * Writes `<outDirectory>/real` and `<outDirectory>/plain` and returns their paths.
 * `markerSource` is the folder of the built marker declarations (dist/src/marker).
 */
export async function generateProjects(
  outDirectory: string,
  markerSource: string,
  shape: ProjectShape,
): Promise<{ real: string; plain: string; floor: string }> {
  const messages = [
    'export interface Point { x: number; y: number }',
    ...Array.from({ length: shape.messageTypes }, (_, type) => messageInterface(type, shape.fields)),
    '',
  ].join('\n');
  const sites = callSites(shape);
  const real = path.join(outDirectory, 'real');
  const plain = path.join(outDirectory, 'plain');
  const floor = path.join(outDirectory, 'floor');
  for (const project of [real, plain, floor]) {
    await rm(project, { recursive: true, force: true });
    await mkdir(path.join(project, 'marker'), { recursive: true });
    await writeFile(path.join(project, 'package.json'), '{ "type": "module" }\n');
    await writeFile(path.join(project, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
    await writeFile(path.join(project, 'messages.ts'), messages);
    await writeFile(path.join(project, 'sites.ts'), sites);
  }
  const markerFiles = (await readdir(markerSource)).filter((file) => file.endsWith('.d.ts'));
  if (!markerFiles.includes('index.d.ts')) {
    throw new Error(`no index.d.ts in ${markerSource}: run the build first (npm run bench:types does)`);
  }
  for (const file of markerFiles) await copyFile(path.join(markerSource, file), path.join(real, 'marker', file));
  await writeFile(path.join(plain, 'marker', 'index.d.ts'), plainMarkers);
  await writeFile(path.join(floor, 'marker', 'index.d.ts'), floorMarkers);
  return { real, plain, floor };
}
