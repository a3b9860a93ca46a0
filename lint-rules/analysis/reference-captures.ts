import ts from 'typescript';
import type { FearlessModule } from './fearless-module.js';

/** One module-level binding that a function passed by reference uses from its own module. */
export interface ReferenceCapture {
  readonly name: string;
  /** Where the function uses it (in the function's own file). */
  readonly node: ts.Identifier;
  /** The binding's type where it is used, for the not-Send check. */
  readonly type: ts.Type;
  /** Set for an import: the module and the imported name (`*` for a namespace, `default`). */
  readonly importOf: { readonly source: string; readonly imported: string } | undefined;
}

/** The function a spawn argument names by reference, found through the checker. */
export interface ReferencedFunction {
  readonly name: string;
  readonly node: ts.FunctionLikeDeclaration;
  readonly file: ts.SourceFile;
}

/**
 * The function declaration behind `spawn(move(x), sha)` / `pool.map(items, lib.sha)` when it is
 * declared in another file of the program (an import, followed to its declaration): a
 * `function`, a `const f = () => …` or `function () {}`, or a method of an object literal.
 * Declaration files (`.d.ts`, lib, packages' typings) have no body to look into.
 */
export function referencedFunction(checker: ts.TypeChecker, argument: ts.Node, here: ts.SourceFile): ReferencedFunction | undefined {
  let symbol = checker.getSymbolAtLocation(argument);
  if (symbol !== undefined && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const declaration = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  if (declaration === undefined) return undefined;
  const file = declaration.getSourceFile();
  if (file === here || file.isDeclarationFile) return undefined;
  let node: ts.Node | undefined = declaration;
  if (ts.isVariableDeclaration(node) || ts.isPropertyAssignment(node)) node = node.initializer;
  while (node !== undefined && (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node))) node = node.expression;
  if (node === undefined || !isFunctionWithBody(node)) return undefined;
  return { name: symbol!.name, node, file };
}

function isFunctionWithBody(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node)) && node.body !== undefined;
}

/**
 * What `fn` uses from its module that will not exist in the worker: module-level bindings of its
 * file (imports, variables, functions, classes), found through the checker's symbols rather
 * than a scope manager, since the file is not the one being linted. Globals, lib and ambient
 * declarations, the function's own parameters and locals, type positions, and fearless's
 * exports imported under their own names (the runtime provides them) are not captures.
 *
 * @example
 * ```ts
 * // hashing.ts
 * import { createHash } from 'node:crypto';
 * export function sha(text: string) { return createHash('sha256').update(text).digest('hex'); }
 * // → [{ name: 'createHash', importOf: { source: 'node:crypto', imported: 'createHash' } }]
 * ```
 */
export function referenceCaptures(checker: ts.TypeChecker, fearless: FearlessModule, fn: ReferencedFunction): ReferenceCapture[] {
  const captures = new Map<ts.Symbol, ReferenceCapture>();
  const { file, node: root } = fn;
  const inside = (declaration: ts.Declaration): boolean =>
    declaration.getSourceFile() === file && declaration.pos >= root.pos && declaration.end <= root.end;

  const visit = (node: ts.Node): void => {
    if (ts.isTypeNode(node) && !ts.isExpressionWithTypeArguments(node)) return;
    if (ts.isIdentifier(node) && isValuePosition(node)) {
      const symbol = ts.isShorthandPropertyAssignment(node.parent) ? checker.getShorthandAssignmentValueSymbol(node.parent) : checker.getSymbolAtLocation(node);
      const declarations = symbol?.declarations ?? [];
      if (symbol !== undefined && !captures.has(symbol) && declarations.length > 0 && declarations.every((declaration) => declaration.getSourceFile() === file && !inside(declaration) && !isAmbient(declaration))) {
        const importOf = importInfo(declarations[0]!);
        const ownFearlessName =
          importOf !== undefined && ((importOf.source === 'fearless' && importOf.imported === symbol.name) || fearless.nameOf(checker.getAliasedSymbol(symbol)) === symbol.name);
        const typeOnly = !(symbol.flags & ts.SymbolFlags.Value) && !(symbol.flags & ts.SymbolFlags.Alias);
        if (!ownFearlessName && !typeOnly) captures.set(symbol, { name: symbol.name, node, type: checker.getTypeAtLocation(node), importOf });
      }
    }
    ts.forEachChild(node, visit);
  };
  if (root.body !== undefined) visit(root.body);
  for (const parameter of root.parameters) if (parameter.initializer) visit(parameter.initializer);
  return [...captures.values()].sort((a, b) => a.node.pos - b.node.pos);
}

/** Not a property name, a declaration's own name, a label, or the right of a qualified name. */
function isValuePosition(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if (ts.isQualifiedName(parent) && parent.right === node) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isGetAccessor(parent) || ts.isSetAccessor(parent)) && parent.name === node) return false;
  if (ts.isBindingElement(parent) && parent.propertyName === node) return false;
  if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return false;
  return true;
}

/** `declare …`, or anything inside `declare global` / `declare module`. */
function isAmbient(declaration: ts.Node): boolean {
  for (let node: ts.Node | undefined = declaration; node !== undefined; node = node.parent) {
    if (ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((modifier) => modifier.kind === ts.SyntaxKind.DeclareKeyword)) return true;
  }
  return false;
}

function importInfo(declaration: ts.Declaration): ReferenceCapture['importOf'] {
  let importDeclaration: ts.Node = declaration;
  while (!ts.isImportDeclaration(importDeclaration)) {
    if (!(ts.isImportSpecifier(importDeclaration) || ts.isNamedImports(importDeclaration) || ts.isImportClause(importDeclaration) || ts.isNamespaceImport(importDeclaration))) return undefined;
    importDeclaration = importDeclaration.parent;
  }
  const source = ts.isStringLiteral(importDeclaration.moduleSpecifier) ? importDeclaration.moduleSpecifier.text : '?';
  if (ts.isNamespaceImport(declaration)) return { source, imported: '*' };
  if (ts.isImportClause(declaration)) return { source, imported: 'default' };
  if (ts.isImportSpecifier(declaration)) return { source, imported: (declaration.propertyName ?? declaration.name).text };
  return undefined;
}
