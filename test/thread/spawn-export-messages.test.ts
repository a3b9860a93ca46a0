/**
 * What a user reads when a spawnExport call is wrong: the name argument's error names the export,
 * the field of its result and the reason. tsd (type-tests/spawn-export.test-d.ts) proves the calls
 * fail; the compiler API shows what the message says.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const index = fileURLToPath(new URL('../../dist/src/index.js', import.meta.url));
const folder = mkdtempSync(join(fileURLToPath(new URL('.', import.meta.url)), '.snippets-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function messages(body: string): string[] {
  const file = join(folder, 'snippet.ts');
  writeFileSync(file, `import { move, spawnExport } from ${JSON.stringify(index)};\nconst url = new URL('file:///tasks.js');\n${body}\n`);
  const program = ts.createProgram([file], { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, skipLibCheck: true, noEmit: true, types: ['node'] });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('spawnExport type errors say what is wrong', () => {
  it('compiles a good call with no message', () => {
    expect(messages(`interface T { count(text: string): number }\nspawnExport<T, 'count'>(url, 'count', move('a'));`)).toEqual([]);
  });

  it('names an export that is not a function', () => {
    expect(messages(`interface T { version: string }\nspawnExport<T, 'version'>(url, 'version');`).join('\n')).toContain(`"export 'version' is not a function"`);
  });

  it('names the field of a result that is not Send, and why', () => {
    const [message] = messages(`interface T { make(): Promise<{ id: number; items: { onDone?: () => void }[] }> }\nspawnExport<T, 'make'>(url, 'make');`);
    expect(message).toContain("the result of export 'make' is not Send: result.items[].onDone: functions cannot cross a worker boundary");
  });

  it('names the parameter whose moved value has the wrong type', () => {
    const [message] = messages(`interface T { count(text: string): number }\nspawnExport<T, 'count'>(url, 'count', move(1));`);
    expect(message).toContain("'Moved<[number]>' is not assignable to parameter of type 'Moved<[text: string]>'");
  });
});
