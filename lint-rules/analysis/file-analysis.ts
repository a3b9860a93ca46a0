import { AST_NODE_TYPES } from '@typescript-eslint/utils';
import type { ParserServicesWithTypeInformation, TSESLint, TSESTree } from '@typescript-eslint/utils';
import type ts from 'typescript';
import { collectSites } from './collect-sites.js';
import { FearlessModule } from './fearless-module.js';
import type { FileSites } from './sites.js';
import { typeServices } from './type-services.js';

type AnyContext = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;
type SourceCode = AnyContext['sourceCode'];

/** The per-file facts every rule reads. Computed once per file, whichever rule asks first. */
export interface FileAnalysis extends FileSites {
  readonly sourceCode: SourceCode;
  readonly services: ParserServicesWithTypeInformation;
  readonly checker: ts.TypeChecker;
  readonly fearless: FearlessModule;
  /** Every identifier that references a binding, with its scope-manager reference. */
  readonly references: ReadonlyMap<TSESTree.Identifier, TSESLint.Scope.Reference>;
}

/**
 * Files the rules have nothing to say about: they import nothing from `fearless` and never call
 * `postMessage`/`structuredClone`. Checked on the AST's imports and the raw text, before any
 * type information is touched, so ordinary files cost almost nothing.
 */
function isRelevant(sourceCode: SourceCode): boolean {
  const importsFearless = sourceCode.ast.body.some(
    (statement) => statement.type === AST_NODE_TYPES.ImportDeclaration && statement.source.value === 'fearless',
  );
  return importsFearless || sourceCode.text.includes('postMessage') || sourceCode.text.includes('structuredClone');
}

// One entry per linted file: ESLint hands every rule the same SourceCode object for a file.
const cache = new WeakMap<SourceCode, FileAnalysis | null>();

/** The shared analysis of the file being linted, or `null` when there is nothing to check. */
export function getFileAnalysis(context: AnyContext): FileAnalysis | null {
  const sourceCode = context.sourceCode;
  const cached = cache.get(sourceCode);
  if (cached !== undefined) return cached;
  const analysis = isRelevant(sourceCode) ? analyse(context) : null;
  cache.set(sourceCode, analysis);
  return analysis;
}

function analyse(context: AnyContext): FileAnalysis | null {
  // Without type information (a `.js` file in a mixed project, a file outside the tsconfig) the
  // rules cannot tell fearless's calls from look-alikes: they skip the file rather than guess,
  // and never throw, which would abort the whole run.
  const typed = typeServices(context);
  if (typed === undefined) return null;
  const checker = typed.program.getTypeChecker();
  const sourceCode = context.sourceCode;

  const fearlessImport = sourceCode.ast.body.find(
    (statement): statement is TSESTree.ImportDeclaration =>
      statement.type === AST_NODE_TYPES.ImportDeclaration && statement.source.value === 'fearless',
  );
  const moduleSymbol = fearlessImport
    ? checker.getSymbolAtLocation(typed.esTreeNodeToTSNodeMap.get(fearlessImport.source))
    : undefined;
  const fearless = new FearlessModule(checker, moduleSymbol);

  const references = new Map<TSESTree.Identifier, TSESLint.Scope.Reference>();
  for (const scope of sourceCode.scopeManager?.scopes ?? []) {
    for (const reference of scope.references) {
      if (reference.identifier.type === AST_NODE_TYPES.Identifier) references.set(reference.identifier, reference);
    }
  }

  const sites = collectSites({ sourceCode, services: typed, checker, fearless, references });
  return { sourceCode, services: typed, checker, fearless, references, ...sites };
}
