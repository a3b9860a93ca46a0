/**
 * No import cycles between the folders of src/ (issue 21, item 2): each folder is a layer that
 * may import the ones below it, never one above. A cycle makes module evaluation order depend
 * on which file is loaded first (a class read before its module ran), and makes folders
 * impossible to reason about alone. The graph is also written in src/README.md, kept in step
 * by the last test.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeCycle, findCycle, folderGraph, formatGraph, valueImports } from './import-graph.js';

const src = path.resolve('src');
const edges = folderGraph(src);

describe('the folder graph of src/', () => {
  it('has no cycle', () => {
    expect(edges.length).toBeGreaterThan(10);
    const cycle = findCycle(edges);
    expect(cycle === undefined ? 'no cycle' : describeCycle(cycle, edges)).toBe('no cycle');
  });

  it('is the graph src/README.md shows', () => {
    const readme = readFileSync(path.join(src, 'README.md'), 'utf8');
    const shown = /```text\n([\s\S]*?)\n```/.exec(readme)?.[1];
    expect(shown, 'src/README.md has a ```text block with the graph').toBeDefined();
    expect(formatGraph(edges), 'the graph changed: put the received text in src/README.md').toBe(shown);
  });

  it('counts value imports and re-exports, not `import type`', () => {
    const text = [
      "import type { A } from './a.js';",
      "export type { B } from './b.js';",
      "import { c, type C } from './c.js';",
      "import { type D } from './d.js';",
      "export { e } from './e.js';",
      "export * from './f.js';",
      "import './g.js';",
      "const h = () => import('./h.js');",
      "import * as i from './i.js';",
    ].join('\n');
    expect(valueImports('x.ts', text)).toEqual(['./c.js', './d.js', './e.js', './f.js', './g.js', './h.js', './i.js']);
  });

  it('finds a cycle and names it with the imports that make it (a scratch tree)', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'fearless-graph-'));
    try {
      for (const folder of ['a', 'b', 'c']) mkdirSync(path.join(root, folder));
      writeFileSync(path.join(root, 'a', 'one.ts'), "import { two } from '../b/two.js';\nexport const one = two;\n");
      writeFileSync(path.join(root, 'b', 'two.ts'), "import type { One } from '../a/types.js';\nexport { three as two } from '../c/three.js';\n");
      writeFileSync(path.join(root, 'c', 'three.ts'), 'export const three = 3;\n');
      writeFileSync(path.join(root, 'index.ts'), "export { one } from './a/one.js';\n");
      expect(findCycle(folderGraph(root))).toBeUndefined();

      writeFileSync(path.join(root, 'c', 'three.ts'), "import { one } from '../a/one.js';\nexport const three = () => one;\n");
      const edges = folderGraph(root);
      const cycle = findCycle(edges);
      expect(cycle).toEqual(['a/', 'b/', 'c/', 'a/']);
      expect(describeCycle(cycle!, edges)).toBe(
        'import cycle between folders of src/: a/ → b/ → c/ → a/\n' +
          '  a/ → b/: a/one.ts → ../b/two.js\n' +
          '  b/ → c/: b/two.ts → ../c/three.js\n' +
          '  c/ → a/: c/three.ts → ../a/one.js',
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
