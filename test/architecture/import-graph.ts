/**
 * The folder-level import graph of src/: a node per top-level folder (`thread/`) and per file
 * directly in src/ (`index.ts`); an edge where a module of one imports a module of another at
 * run time. Read from the TypeScript sources with the compiler's parser (no type checking):
 * `import`, `export … from` and `import('…')` with a literal specifier count; `import type`
 * and `export type` do not (they are erased), while `import { type A } from` does (with
 * verbatimModuleSyntax it stays as `import {} from`, and loads the module).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface Edge {
  readonly from: string;
  readonly to: string;
  /** The imports that make the edge: `thread/pool.ts → ../hub/hub.js`. */
  readonly because: readonly string[];
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** The runtime specifiers of a module. */
export function valueImports(fileName: string, text: string): string[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      if (node.importClause?.isTypeOnly !== true) found.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!node.isTypeOnly) found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [specifier] = node.arguments;
      if (specifier !== undefined && ts.isStringLiteralLike(specifier)) found.push(specifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && !node.isTypeOnly && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      found.push(node.moduleReference.expression.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** The node a path under `root` belongs to, or undefined outside it. */
function nodeOf(root: string, file: string): string | undefined {
  const relative = path.relative(root, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  const parts = relative.split(path.sep);
  return parts.length === 1 ? parts[0] : `${parts[0]}/`;
}

/** Where the package's `#` imports lead, under the sources' root. */
const packageImports: Readonly<Record<string, string>> = { '#platform': 'platform/node.ts', '#worker-text': 'worker-entry/text.ts' };

/** The folder graph of the sources under `root` (edges sorted, self-edges left out). */
export function folderGraph(root: string): Edge[] {
  const edges = new Map<string, { from: string; to: string; because: string[] }>();
  for (const file of sourceFiles(root)) {
    const from = nodeOf(root, file)!;
    for (const specifier of valueImports(file, readFileSync(file, 'utf8'))) {
      // The package's own imports (package.json "imports"): #platform is platform/ (node.ts by
      // default, browser.ts under the browser condition), #worker-text is worker-entry/.
      const own = packageImports[specifier];
      if (!specifier.startsWith('.') && own === undefined) continue;
      const target = own === undefined ? path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.ts')) : path.join(root, own);
      const to = nodeOf(root, target);
      if (to === undefined || to === from) continue;
      const key = `${from} ${to}`;
      let edge = edges.get(key);
      if (edge === undefined) edges.set(key, (edge = { from, to, because: [] }));
      edge.because.push(`${path.relative(root, file).split(path.sep).join('/')} → ${specifier}`);
    }
  }
  return [...edges.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

/** A cycle of the graph as its nodes (first node repeated at the end), or undefined. */
export function findCycle(edges: readonly Edge[]): string[] | undefined {
  const next = new Map<string, string[]>();
  for (const edge of edges) next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
  const done = new Set<string>();
  const path: string[] = [];
  const onPath = new Set<string>();
  const visit = (node: string): string[] | undefined => {
    if (onPath.has(node)) return [...path.slice(path.indexOf(node)), node];
    if (done.has(node)) return undefined;
    path.push(node);
    onPath.add(node);
    for (const to of next.get(node) ?? []) {
      const cycle = visit(to);
      if (cycle !== undefined) return cycle;
    }
    path.pop();
    onPath.delete(node);
    done.add(node);
    return undefined;
  };
  for (const node of [...next.keys()].sort()) {
    const cycle = visit(node);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}

/** The cycle written out with the imports that make each of its edges. */
export function describeCycle(cycle: readonly string[], edges: readonly Edge[]): string {
  const steps = cycle.slice(1).map((to, index) => {
    const from = cycle[index]!;
    const edge = edges.find((candidate) => candidate.from === from && candidate.to === to)!;
    return `  ${from} → ${to}: ${edge.because.join(', ')}`;
  });
  return `import cycle between folders of src/: ${cycle.join(' → ')}\n${steps.join('\n')}`;
}

/** The graph as lines `from → to, to…` (one per node that imports), as src/README.md shows it. */
export function formatGraph(edges: readonly Edge[]): string {
  const lines = new Map<string, string[]>();
  for (const edge of edges) lines.set(edge.from, [...(lines.get(edge.from) ?? []), edge.to]);
  return [...lines].map(([from, to]) => `${from} → ${to.join(', ')}`).join('\n');
}
