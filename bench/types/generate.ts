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
  include: ['*.ts', 'app/*.ts'],
};

/** Writes one compilation per marker flavour with the same sources; returns each folder. */
async function writeProjects<Flavour extends 'real' | 'plain' | 'floor'>(
  outDirectory: string,
  markerSource: string,
  flavours: readonly Flavour[],
  sources: Readonly<Record<string, string>>,
): Promise<Record<Flavour, string>> {
  const markerFiles = (await readdir(markerSource)).filter((file) => file.endsWith('.d.ts'));
  if (!markerFiles.includes('index.d.ts')) {
    throw new Error(`no index.d.ts in ${markerSource}: run the build first (npm run bench:types does)`);
  }
  const folders = {} as Record<Flavour, string>;
  for (const flavour of flavours) {
    const project = path.join(outDirectory, flavour);
    folders[flavour] = project;
    await rm(project, { recursive: true, force: true });
    await mkdir(path.join(project, 'marker'), { recursive: true });
    await writeFile(path.join(project, 'package.json'), '{ "type": "module" }\n');
    await writeFile(path.join(project, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
    for (const [file, text] of Object.entries(sources)) {
      await mkdir(path.dirname(path.join(project, file)), { recursive: true });
      await writeFile(path.join(project, file), text);
    }
    if (flavour === 'real') {
      for (const file of markerFiles) await copyFile(path.join(markerSource, file), path.join(project, 'marker', file));
    } else {
      await writeFile(path.join(project, 'marker', 'index.d.ts'), flavour === 'plain' ? plainMarkers : floorMarkers);
    }
  }
  return folders;
}

/**
 * Writes `<outDirectory>/real`, `<outDirectory>/plain` and `<outDirectory>/floor` and returns
 * their paths. `markerSource` is the folder of the built marker declarations (dist/src/marker).
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
  return writeProjects(outDirectory, markerSource, ['real', 'plain', 'floor'], { 'messages.ts': messages, 'sites.ts': callSites(shape) });
}

export interface ApplicationShape {
  /** Modules in the application. */
  readonly files: number;
  /** Every `sendEvery`-th module also posts its records to a worker (3 send sites each). */
  readonly sendEvery: number;
}

/**
 * One module of an ordinary application: a record interface with nested objects, arrays and
 * optional fields, a type alias, a class with methods, generic helpers and array pipelines,
 * the code the checker spends its time on in a project. It imports the previous module's
 * record, so the files form a chain as modules do. Every `sendEvery`-th module posts to a
 * worker: the record itself, an envelope literal around it, and a list of records.
 */
function applicationModule(index: number, shape: ApplicationShape): string {
  const name = `Record${index}`;
  const previous = index > 0 ? `Record${index - 1}` : undefined;
  const lines: string[] = [];
  if (previous !== undefined) lines.push(`import type { ${previous} } from './module${index - 1}.js';`);
  const sends = index % shape.sendEvery === 0;
  if (sends) lines.push("import type { Send } from '../marker/index.js';", "import { post } from '../worker.js';");
  lines.push(
    '',
    `export type Status${index} = 'new' | 'active' | 'archived';`,
    '',
    `export interface ${name} {`,
    '  readonly id: string;',
    '  name: string;',
    '  createdAt: Date;',
    `  status: Status${index};`,
    '  tags: readonly string[];',
    '  score?: number;',
    '  owner: { readonly id: string; email: string; roles: string[] };',
    '  items: { sku: string; quantity: number; price: number }[];',
    '  attributes: Map<string, string>;',
    `  parent?: ${previous ?? 'undefined'};`,
    '  location: [latitude: number, longitude: number] | null;',
    '}',
    '',
    `export function total${index}(record: ${name}): number {`,
    '  return record.items.reduce((sum, item) => sum + item.quantity * item.price, 0);',
    '}',
    '',
    `export function byStatus${index}(records: readonly ${name}[], status: Status${index}): ${name}[] {`,
    '  return records.filter((record) => record.status === status).sort((a, b) => a.name.localeCompare(b.name));',
    '}',
    '',
    `export function index${index}<Key extends keyof ${name}>(records: readonly ${name}[], key: Key): Map<${name}[Key], ${name}[]> {`,
    `  const groups = new Map<${name}[Key], ${name}[]>();`,
    '  for (const record of records) {',
    '    const group = groups.get(record[key]) ?? [];',
    '    group.push(record);',
    '    groups.set(record[key], group);',
    '  }',
    '  return groups;',
    '}',
    '',
    `export class Store${index} {`,
    `  readonly #records = new Map<string, ${name}>();`,
    `  add(record: ${name}): this {`,
    '    this.#records.set(record.id, record);',
    '    return this;',
    '  }',
    `  find(predicate: (record: ${name}) => boolean): ${name} | undefined {`,
    '    for (const record of this.#records.values()) if (predicate(record)) return record;',
    '    return undefined;',
    '  }',
    '  summary(): { count: number; total: number; tags: string[] } {',
    '    const records = [...this.#records.values()];',
    '    const tags = new Set(records.flatMap((record) => record.tags));',
    `    return { count: records.length, total: records.reduce((sum, record) => sum + total${index}(record), 0), tags: [...tags].sort() };`,
    '  }',
    '}',
    '',
    `export function rename${index}<Value extends { name: string }>(value: Value, name: string): Value {`,
    '  return { ...value, name: name.trim() };',
    '}',
  );
  if (sends) {
    lines.push(
      '',
      `export function publish${index}(store: Store${index}, record: ${name}): void {`,
      '  post(record);',
      `  post({ kind: 'record', sentAt: Date.now(), record, summary: store.summary() });`,
      `  post(byStatus${index}([record], 'active'));`,
      '}',
      '',
      `export function relay${index}<Message extends Send<Message>>(message: Message): void {`,
      '  post({ relayed: true, message });',
      '}',
    );
  }
  lines.push('');
  return lines.join('\n');
}

/**
 * Writes `<outDirectory>/real` and `<outDirectory>/plain` with an application of
 * `shape.files` modules, of which one in `shape.sendEvery` sends, and returns their paths.
 */
export async function generateApplication(outDirectory: string, markerSource: string, shape: ApplicationShape): Promise<{ real: string; plain: string }> {
  const sources: Record<string, string> = {
    'worker.ts': [
      "import type { Send } from './marker/index.js';",
      'export declare function post<Message extends Send<Message>>(message: Message): void;',
      '',
    ].join('\n'),
  };
  for (let index = 0; index < shape.files; index++) sources[`app/module${index}.ts`] = applicationModule(index, shape);
  return writeProjects(outDirectory, markerSource, ['real', 'plain'], sources);
}
