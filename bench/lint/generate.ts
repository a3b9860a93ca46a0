/**
 * Writes a synthetic 100-file TypeScript project that uses fearless the way an application does
 * (channels, spawn with move, a Mutex, a pool), plus ordinary typed code for the baseline rules
 * to chew on. Every tenth file carries one deliberate mistake per rule, so the timed run also
 * exercises the reporting paths.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const header = `import { channel, spawn, move, Mutex, ThreadPool, type JoinHandle } from 'fearless';`;

function moduleSource(index: number, mistakes: boolean): string {
  const previous = index > 0 ? `import { total${index - 1}, type Record${index - 1} } from './module-${index - 1}.js';` : '';
  const base = index > 0 ? `total${index - 1}([{ id: 1, tags: [], score: 2 }])` : '0';
  const lines = [
    header,
    previous,
    `export interface Record${index} { id: number; tags: string[]; score: number }`,
    `const lock${index} = new Mutex({ seen: 0 });`,
    `export function total${index}(records: readonly Record${index}[]): number {`,
    `  let sum = 0;`,
    `  for (const record of records) {`,
    `    if (record.tags.includes('skip')) continue;`,
    `    sum += record.score * (record.id % 3 === 0 ? 2 : 1);`,
    `  }`,
    `  return sum;`,
    `}`,
    `export class Store${index} {`,
    `  readonly #items = new Map<number, Record${index}>();`,
    `  add(record: Record${index}): void { this.#items.set(record.id, record); }`,
    `  top(count: number): Record${index}[] {`,
    `    return [...this.#items.values()].sort((a, b) => b.score - a.score).slice(0, count);`,
    `  }`,
    `}`,
    `export async function pipeline${index}(input: Record${index}[]): Promise<number> {`,
    `  const [tx, rx] = channel<Record${index}[]>();`,
    `  let batch = input.filter((record) => record.score > ${index % 7});`,
    `  tx.send(batch);`,
    `  batch = [];`,
    `  const worker = spawn(move(rx), async (inbox) => {`,
    `    const received = await inbox.recv();`,
    `    return received.reduce((sum, record) => sum + record.score, 0);`,
    `  });`,
    `  {`,
    `    using guard = await lock${index}.lock();`,
    `    guard.value.seen += batch.length;`,
    `  }`,
    `  const handles: JoinHandle<number>[] = [];`,
    `  for (let shard = 0; shard < 4; shard++) {`,
    `    const slice = input.slice(shard * 10, shard * 10 + 10).map((record) => record.score);`,
    `    handles.push(spawn(move(slice), (scores) => scores.reduce((a, b) => a + b, 0)));`,
    `  }`,
    `  const parts = await Promise.all(handles.map((handle) => handle.join()));`,
    `  const pool = new ThreadPool({ size: 2 });`,
    `  const squares = await pool.map([1, 2, 3], (n) => n * n);`,
    `  await pool.close();`,
    `  return (await worker.join()) + parts.length + squares.length + ${base};`,
    `}`,
  ];
  if (mistakes) {
    lines.push(
      `export async function mistakes${index}(records: Record${index}[]): Promise<void> {`,
      `  const [tx] = channel<Record${index}[]>();`,
      `  tx.send(records);`,
      `  console.log(records.length);`,
      `  const limit = ${index};`,
      `  spawn(() => limit * 2);`,
      `  using guard = await lock${index}.lock();`,
      `  await new Promise((resolve) => setTimeout(resolve, 1));`,
      `  guard.value.seen += 1;`,
      `}`,
    );
  }
  return lines.filter((line) => line !== '').join('\n') + '\n';
}

const tsconfig = {
  compilerOptions: {
    target: 'es2022',
    lib: ['es2022', 'esnext.disposable'],
    module: 'nodenext',
    moduleResolution: 'nodenext',
    types: ['node'],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  },
  include: ['src', 'fearless.d.ts'],
};

/**
 * Generates the project in `directory` (wiped first). The fearless types come from the built
 * package when it already declares the runtime the project uses (spawn, channel, Mutex, ThreadPool), else from the lint test fixture's
 * ambient declaration, so the bench runs before and after the runtime lands.
 */
export function generateProject(directory: string, repositoryRoot: string, files = 100): void {
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(path.join(directory, 'src'), { recursive: true });
  writeFileSync(path.join(directory, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  const published = path.join(repositoryRoot, 'dist/src/index.d.ts');
  const declarations = existsSync(published) ? readFileSync(published, 'utf8') : '';
  const hasRuntime = ['spawn', 'channel', 'Mutex', 'ThreadPool'].every((name) => new RegExp(`\\b${name}\\b`).test(declarations));
  const ambient = hasRuntime
    ? '// fearless resolves to the built package (self-reference).\nexport {};\n'
    : readFileSync(path.join(repositoryRoot, 'test/fixtures/lint/fearless.d.ts'), 'utf8');
  writeFileSync(path.join(directory, 'fearless.d.ts'), ambient);
  for (let index = 0; index < files; index++) {
    writeFileSync(path.join(directory, 'src', `module-${index}.ts`), moduleSource(index, index % 10 === 9));
  }
}
