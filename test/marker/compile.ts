/**
 * Compiles TypeScript snippets against the real marker declarations (src/marker) with the
 * repository's compiler options, through the compiler API, so tests can read the diagnostics
 * a user would see — tsd can say that a line fails, not what the message says.
 */
import ts from 'typescript';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Snippets live, in memory only, in this folder, so their relative imports reach src/marker. */
const snippetFolder = path.join(root, 'test', 'marker', '__snippets__');

const prelude = `import type { IsSend, NotSend, Send, Sync } from '../../../src/marker/index.js';
import { assertNotSend, assertSend, assertSync, notSend, notSync } from '../../../src/marker/index.js';
declare function post<Message extends Send<Message>>(message: Message): void;
declare function share<Shared extends Sync<Shared>>(shared: Shared): void;
`;

export interface SnippetDiagnostic {
  /** The snippet line (1-based, counted without the prelude). */
  readonly line: number;
  /** The source text the diagnostic points at, e.g. `cb` for a field of an object literal. */
  readonly at: string;
  readonly code: number;
  /** The whole message chain, flattened, plus related information ("The expected type comes from property 'cb'…"). */
  readonly text: string;
}

function repositoryOptions(): ts.CompilerOptions {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), { noEmit: true }, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic(diagnostic) {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  if (parsed === undefined) throw new Error(`cannot read ${path.join(root, 'tsconfig.json')}`);
  return parsed.options;
}

/**
 * Compiles every snippet in one program (the lib files are parsed once) and returns the
 * diagnostics of each, by name. Each snippet gets the prelude: `post` (a Send bound), `share`
 * (a Sync bound), the marker types, the brands and the assert helpers.
 */
export function compileSnippets(snippets: Readonly<Record<string, string>>): Map<string, SnippetDiagnostic[]> {
  const options = repositoryOptions();
  const preludeLines = prelude.split('\n').length - 1;
  const files = new Map(Object.entries(snippets).map(([name, code]) => [path.join(snippetFolder, `${name}.ts`), prelude + code]));
  const disk = ts.createCompilerHost(options);
  const host: ts.CompilerHost = {
    ...disk,
    fileExists: (file) => files.has(file) || disk.fileExists(file),
    readFile: (file) => files.get(file) ?? disk.readFile(file),
    getSourceFile: (file, language, onError, create) => {
      const text = files.get(file);
      return text === undefined
        ? disk.getSourceFile(file, language, onError, create)
        : ts.createSourceFile(file, text, language, true);
    },
  };
  const program = ts.createProgram({ rootNames: [...files.keys()], options, host });
  const result = new Map<string, SnippetDiagnostic[]>();
  for (const [file] of files) {
    const source = program.getSourceFile(file);
    if (source === undefined) throw new Error(`the compiler did not load ${file}`);
    const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    result.set(
      path.basename(file, '.ts'),
      diagnostics.map((diagnostic) => {
        const start = diagnostic.start ?? 0;
        const related = (diagnostic.relatedInformation ?? []).map((info) => ts.flattenDiagnosticMessageText(info.messageText, '\n'));
        return {
          line: source.getLineAndCharacterOfPosition(start).line + 1 - preludeLines,
          at: source.text.slice(start, start + (diagnostic.length ?? 0)),
          code: diagnostic.code,
          text: [ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'), ...related].join('\n'),
        };
      }),
    );
  }
  return result;
}
