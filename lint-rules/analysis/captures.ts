import { AST_NODE_TYPES, TSESLint } from '@typescript-eslint/utils';
import type { TSESTree } from '@typescript-eslint/utils';
import type { FileAnalysis } from './file-analysis.js';

/** One outer binding a serialised closure refers to. */
export interface Capture {
  readonly name: string;
  readonly variable: TSESLint.Scope.Variable;
  /** The first reference inside the closure. */
  readonly node: TSESTree.Identifier;
  /** The first write inside the closure, if it assigns the binding. */
  readonly write: TSESTree.Identifier | undefined;
  /** Set when the binding is an import: the module, and the imported name (`*` for a namespace). */
  readonly importOf: { readonly source: string; readonly imported: string } | undefined;
}

/**
 * The bindings a closure uses from outside itself that will not exist in the worker.
 *
 * Follows playwright's no-unsafe-references: the closure's `scope.through` (references that
 * resolve outside it), minus what the worker has too — globals and lib declarations (no
 * definition in this file, or an ambient `declare`), type-only references, the closure's own
 * name, and fearless's exports imported under their own names (the runtime provides those in
 * every worker).
 *
 * @example
 * ```ts
 * import { spawn, Mutex as M } from 'fearless';
 * const limit = 10;
 * spawn(() => Math.min(limit, new M(1) && 2));
 * // captures: `limit` (a local), `M` (fearless's Mutex under another name); not `Math`
 * ```
 */
export function closureCaptures(analysis: FileAnalysis, closure: TSESTree.FunctionLike): Capture[] {
  const scope = analysis.sourceCode.scopeManager?.acquire(closure);
  if (!scope) return [];
  const captures = new Map<TSESLint.Scope.Variable, { node: TSESTree.Identifier; write: TSESTree.Identifier | undefined }>();
  for (const reference of scope.through) {
    const variable = reference.resolved;
    const identifier = reference.identifier;
    if (!variable || identifier.type !== AST_NODE_TYPES.Identifier || !reference.isValueReference || inTypeQuery(identifier)) continue;
    if (!isOuterRuntimeBinding(variable, closure)) continue;
    const entry = captures.get(variable);
    const write = reference.isWrite() ? identifier : undefined;
    if (entry === undefined) captures.set(variable, { node: identifier, write });
    else if (entry.write === undefined && write) entry.write = write;
  }
  const result: Capture[] = [];
  for (const [variable, { node, write }] of captures) {
    const importOf = importInfo(variable);
    // fearless's exports under their own names are injected into every worker, also when this
    // module gets them through a re-export of its own (`import { Mutex } from './prelude.js'`).
    if (importOf?.source === 'fearless' && importOf.imported === variable.name) continue;
    if (importOf !== undefined && isFearlessExportNamed(analysis, node, variable.name)) continue;
    result.push({ name: variable.name, variable, node, write, importOf });
  }
  return result.sort((a, b) => a.node.range[0] - b.node.range[0]);
}

function isFearlessExportNamed(analysis: FileAnalysis, node: TSESTree.Identifier, name: string): boolean {
  if (!analysis.fearless.available) return false;
  const symbol = analysis.checker.getSymbolAtLocation(analysis.services.esTreeNodeToTSNodeMap.get(node));
  return analysis.fearless.nameOf(symbol) === name;
}

/** Whether a resolved binding exists only in this module (not a global, not ambient, not the closure's own name). */
function isOuterRuntimeBinding(variable: TSESLint.Scope.Variable, closure: TSESTree.FunctionLike): boolean {
  if (variable.defs.length === 0) return false;
  return variable.defs.every((definition) => {
    if (definition.type === TSESLint.Scope.DefinitionType.FunctionName && definition.node === closure) return false;
    if (definition.type === TSESLint.Scope.DefinitionType.Type) return false;
    return !isAmbient(definition.node);
  });
}

/** `declare const x`, `declare function f()`, anything inside `declare global`/`declare module`. */
function isAmbient(node: TSESTree.Node): boolean {
  for (let current: TSESTree.Node | undefined = node; current; current = current.parent) {
    if ('declare' in current && current.declare === true) return true;
    if (current.type === AST_NODE_TYPES.TSDeclareFunction) return true;
  }
  return false;
}

function importInfo(variable: TSESLint.Scope.Variable): Capture['importOf'] {
  const definition = variable.defs[0];
  if (definition?.type !== TSESLint.Scope.DefinitionType.ImportBinding) return undefined;
  const declaration = definition.parent;
  if (declaration.type !== AST_NODE_TYPES.ImportDeclaration) return undefined;
  const source = declaration.source.value;
  const specifier = definition.node;
  if (specifier.type === AST_NODE_TYPES.ImportNamespaceSpecifier) return { source, imported: '*' };
  if (specifier.type === AST_NODE_TYPES.ImportDefaultSpecifier) return { source, imported: 'default' };
  if (specifier.type === AST_NODE_TYPES.ImportSpecifier) {
    const imported = specifier.imported.type === AST_NODE_TYPES.Identifier ? specifier.imported.name : specifier.imported.value;
    return { source, imported };
  }
  return undefined;
}

/** `typeof x` in a type annotation names a binding without reading it. */
export function inTypeQuery(node: TSESTree.Node): boolean {
  let current: TSESTree.Node | undefined = node.parent;
  while (current?.type === AST_NODE_TYPES.TSQualifiedName) current = current.parent;
  return current?.type === AST_NODE_TYPES.TSTypeQuery;
}
