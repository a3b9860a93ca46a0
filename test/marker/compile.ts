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

/** What every snippet starts with, importing the markers from the sources or from the build. */
function preludeFor(markers: 'src' | 'dist'): string {
  const from = markers === 'src' ? '../../../src/marker/index.js' : '../../../dist/src/marker/index.js';
  return `import type { IsSend, IsSync, Lockable, NotSend, Send, Sync } from '${from}';
import { assertNotSend, assertSend, assertSync, notSend, notSync } from '${from}';
import { sendHandle, syncHandle } from '${from.replace('index.js', 'brands.js')}';
declare function post<Message extends Send<Message>>(message: Message): void;
declare function share<Shared extends Sync<Shared>>(shared: Shared): void;
declare function lock<Value extends Lockable<Value>>(value: Value): void;
`;
}

export interface CompileOptions {
  /** The markers compiled against: the sources (default) or the built declarations in dist/. */
  readonly markers?: 'src' | 'dist';
  /** `lib` setting, as in a tsconfig (`['es2020']`); the repository's when absent. */
  readonly lib?: readonly string[];
  /** `types` setting (`[]` for none, as a project without @types/node). */
  readonly types?: readonly string[];
  /** Check the declaration files too, as a project without `skipLibCheck` does. */
  readonly checkLibraries?: boolean;
}

/** The key, in compileSnippets' result, of diagnostics inside the markers' own files. */
export const libraryDiagnostics = '(marker declarations)';

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
export function compileSnippets(
  snippets: Readonly<Record<string, string>>,
  settings: CompileOptions = {},
): Map<string, SnippetDiagnostic[]> {
  const prelude = preludeFor(settings.markers ?? 'src');
  const options: ts.CompilerOptions = { ...repositoryOptions() };
  if (settings.lib !== undefined) options.lib = settings.lib.map((name) => `lib.${name.toLowerCase()}.d.ts`);
  if (settings.types !== undefined) options.types = [...settings.types];
  if (settings.checkLibraries === true) options.skipLibCheck = false;
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
  // Errors outside the snippets (inside the markers' declarations, or options the compiler
  // rejects) are what a user without skipLibCheck would see first: keep them under one name.
  const elsewhere = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const source of program.getSourceFiles()) {
    if (files.has(source.fileName) || !source.fileName.includes('/marker/')) continue;
    elsewhere.push(...program.getSemanticDiagnostics(source), ...program.getSyntacticDiagnostics(source));
  }
  result.set(
    libraryDiagnostics,
    elsewhere.map((diagnostic) => ({
      line: diagnostic.file?.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line ?? 0,
      at: diagnostic.file?.fileName ?? '',
      code: diagnostic.code,
      text: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
    })),
  );
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
