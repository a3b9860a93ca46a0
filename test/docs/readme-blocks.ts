/**
 * The README's fenced code blocks, each named by the comment on the line before it:
 *
 *     <!-- readme-block: NAME -->                     run by a test (test/docs/readme-blocks.test.ts
 *                                                     lists which)
 *     <!-- readme-block: NAME, not run: REASON -->    not run, and why
 *
 * A block without such a comment fails test/docs/readme-blocks.test.ts, so a new example cannot
 * land untested by accident.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface ReadmeBlock {
  /** undefined when the block has no `<!-- readme-block: … -->` comment. */
  readonly name: string | undefined;
  /** Why the block is not run, when it says so. */
  readonly notRun: string | undefined;
  /** The fence's info string: `ts`, `js`, `sh`, `text`… */
  readonly language: string;
  readonly code: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
}

export const readmePath = path.join(process.cwd(), 'README.md');

export function readmeBlocks(text = readFileSync(readmePath, 'utf8')): ReadmeBlock[] {
  const lines = text.split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = /^(`{3,})(.*)$/.exec(lines[index]!);
    if (open === null) continue;
    const fence = open[1]!;
    let close = index + 1;
    while (close < lines.length && lines[close]!.trim() !== fence) close++;
    const comment = /^<!-- readme-block: (.+?) -->$/.exec(lines[index - 1] ?? '');
    const [name, notRun] = comment === null ? [undefined, undefined] : comment[1]!.split(/, not run: /);
    blocks.push({ name, notRun, language: open[2]!.trim(), code: `${lines.slice(index + 1, close).join('\n')}\n`, line: index + 1 });
    index = close;
  }
  return blocks;
}

export function readmeBlock(name: string): ReadmeBlock {
  const block = readmeBlocks().find((candidate) => candidate.name === name);
  if (block === undefined) throw new Error(`README.md has no block named ${name} (<!-- readme-block: ${name} -->)`);
  return block;
}
