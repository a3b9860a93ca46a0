/**
 * Generates the `npm run bench:types` project: 200 call sites, each over its own 200-field
 * message interface (nested objects, arrays, tuples, maps, optional and readonly fields), so
 * the checker cannot reuse one call site's work for the next, as in an application whose
 * messages are all different types.
 *
 * The same call sites are written twice: once against the real marker declarations (a copy of
 * src/marker) and once against declarations where the check is replaced by plain `T` (the
 * non-distributive wrapper stays, since `<T extends T>` would be a circular constraint). The
 * difference between the two compilations is what the marker types cost.
 */
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface ProjectShape {
  /** Number of call sites; each gets its own message interface. */
  readonly callSites: number;
  /** Fields per message interface. */
  readonly fields: number;
}

/** One field type per index, cycling through the kinds of data a message carries. */
const fieldKinds: readonly ((index: number) => string)[] = [
  () => 'number',
  () => 'string',
  () => 'boolean',
  () => 'readonly string[]',
  () => '{ readonly x: number; readonly y: number; label?: string }',
  () => 'Map<string, { count: number; tags: string[] }>',
  () => '[id: number, name: string, at: Date]',
  () => 'Point | null',
  () => '"idle" | "busy" | "done"',
  () => 'Set<number>',
  (index) => `{ level${index}: { items: { id: number; value: string }[]; total: bigint } }`,
  () => 'Uint8Array',
];

function messageInterface(site: number, fields: number): string {
  const lines = [`export interface Message${site} {`];
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
  for (let site = 0; site < shape.callSites; site++) {
    lines.push(`declare const message${site}: M.Message${site};`, `post(message${site});`);
    // Every tenth site also posts a fresh literal wrapping the message, as a relay would.
    if (site % 10 === 0) lines.push(`post({ id: ${site}, body: message${site}, sent: new Date() });`);
  }
  lines.push('share(new SharedArrayBuffer(8));', 'share(new Int32Array(new SharedArrayBuffer(8)));', '');
  return lines.join('\n');
}

const plainMarkers = `/** The bench baseline: the same bounds with the check replaced by plain \`T\`. */
export type Send<Value> = [Value] extends [infer Inferred] ? Inferred : never;
export type Sync<Value> = [Value] extends [infer Inferred] ? Inferred : never;
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
  include: ['*.ts', 'marker/*.ts'],
};

/**
 * Writes `<outDirectory>/real` and `<outDirectory>/plain` and returns their paths.
 * `markerSource` is the folder of the real marker declarations (src/marker).
 */
export async function generateProjects(
  outDirectory: string,
  markerSource: string,
  shape: ProjectShape,
): Promise<{ real: string; plain: string }> {
  const messages = [
    'export interface Point { x: number; y: number }',
    ...Array.from({ length: shape.callSites }, (_, site) => messageInterface(site, shape.fields)),
    '',
  ].join('\n');
  const sites = callSites(shape);
  const real = path.join(outDirectory, 'real');
  const plain = path.join(outDirectory, 'plain');
  for (const project of [real, plain]) {
    await rm(project, { recursive: true, force: true });
    await mkdir(path.join(project, 'marker'), { recursive: true });
    await writeFile(path.join(project, 'package.json'), '{ "type": "module" }\n');
    await writeFile(path.join(project, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
    await writeFile(path.join(project, 'messages.ts'), messages);
    await writeFile(path.join(project, 'sites.ts'), sites);
  }
  const markerFiles = (await readdir(markerSource)).filter((file) => file.endsWith('.ts'));
  if (!markerFiles.includes('index.ts')) throw new Error(`no index.ts in ${markerSource}: is this the marker folder?`);
  for (const file of markerFiles) await copyFile(path.join(markerSource, file), path.join(real, 'marker', file));
  await writeFile(path.join(plain, 'marker', 'index.ts'), plainMarkers);
  return { real, plain };
}
