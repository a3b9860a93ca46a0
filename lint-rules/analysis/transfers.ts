import { AST_NODE_TYPES } from '@typescript-eslint/utils';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import ts from 'typescript';

/** Receivers whose `postMessage(message, transfer)` detaches what the transfer list names. */
const MESSAGE_TARGETS: ReadonlySet<string> = new Set([
  'Worker', 'MessagePort', 'BroadcastChannel', 'Window', 'DedicatedWorkerGlobalScope', 'ServiceWorker', 'Client',
]);
/** Globals whose `postMessage` is the platform's: the window, or the worker's own global scope. */
const GLOBAL_SCOPES: ReadonlySet<string> = new Set(['self', 'globalThis', 'window']);

interface Inputs {
  readonly references: ReadonlyMap<TSESTree.Identifier, TSESLint.Scope.Reference>;
  readonly checker: ts.TypeChecker;
  readonly typeOf: (node: TSESTree.Node) => ts.Type;
  readonly tsNode: (node: TSESTree.Node) => ts.Node;
  readonly isGlobal: (identifier: TSESTree.Identifier) => boolean;
  /** Records the moves of what `value` is made of, at `site` (collect-sites.ts). */
  readonly addMoves: (site: TSESTree.Node, value: TSESTree.Node | undefined, how: string, transfer?: boolean) => void;
}

/** The transfer-list half of collectSites: which postMessage calls transfer, and what their lists detach. */
export function transferSites(inputs: Inputs): {
  addTransfers: (site: TSESTree.CallExpression, how: string) => void;
  isPlatformPostMessage: (callee: TSESTree.MemberExpression) => boolean;
} {
  const { references, checker, typeOf, tsNode, isGlobal, addMoves } = inputs;

  /** Whether `node` is a string (Window's `targetOrigin`, never a transfer list). */
  const isString = (node: TSESTree.Node | undefined): boolean =>
    node !== undefined && (checker.getNonNullableType(typeOf(node)).flags & ts.TypeFlags.StringLike) !== 0;

  /**
   * `postMessage(msg, [a, b])`, `postMessage(msg, { transfer: [a] })`, `structuredClone(v, { transfer })`,
   * and Window's `postMessage(msg, origin, [a])`. Only what the list names is detached: a list
   * held in a variable (`{ transfer: parts }`, `postMessage(msg, parts)`) moves the elements it was
   * built from, never the array itself, which stays usable (`parts.length = 0` to reuse it).
   */
  const addTransfers = (site: TSESTree.CallExpression, how: string): void => {
    let options = unwrap(site.arguments[1]);
    // Window's form: with a third argument, a second one that is a string is the target origin
    // (`'*'`, `location.origin`, or an `origin` variable), and the list is the third.
    if (site.arguments.length >= 3 && (!isTransferShape(options) || isString(options))) options = unwrap(site.arguments[2]);
    if (options?.type === AST_NODE_TYPES.ObjectExpression) {
      for (const property of options.properties) {
        if (property.type === AST_NODE_TYPES.Property && !property.computed && property.key.type === AST_NODE_TYPES.Identifier && property.key.name === 'transfer') {
          addTransferList(site, unwrap(property.value), how);
        }
      }
    } else {
      addTransferList(site, options, how);
    }
  };

  const addTransferList = (site: TSESTree.CallExpression, list: TSESTree.Node | undefined, how: string): void => {
    if (list?.type === AST_NODE_TYPES.ArrayExpression) return addMoves(site, list, how, true);
    if (list?.type !== AST_NODE_TYPES.Identifier) return;
    for (const element of listElements(list, site)) addMoves(site, element, how, true);
  };

  /**
   * What a transfer list held in a variable was built from, when this file shows it: the array
   * literal of its `const`/`let` declaration, and `list.push(…)` statements that run on every
   * path to the transfer (their statement list encloses the transfer, and they come before it).
   */
  const listElements = (list: TSESTree.Identifier, site: TSESTree.Node): TSESTree.Node[] => {
    const variable = references.get(list)?.resolved;
    if (variable == null || variable.defs.length !== 1) return [];
    const elements: TSESTree.Node[] = [];
    const definition = variable.defs[0]!;
    if (definition.node.type === AST_NODE_TYPES.VariableDeclarator) {
      const init = unwrap(definition.node.init ?? undefined);
      if (init?.type === AST_NODE_TYPES.ArrayExpression) elements.push(init);
    }
    for (const reference of variable.references) {
      const member = reference.identifier.parent;
      if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== reference.identifier || member.computed) continue;
      if (member.property.type !== AST_NODE_TYPES.Identifier || (member.property.name !== 'push' && member.property.name !== 'unshift')) continue;
      const call = member.parent;
      if (call.type !== AST_NODE_TYPES.CallExpression || call.callee !== member || call.range[1] > site.range[0]) continue;
      const statement = call.parent;
      if (statement.type !== AST_NODE_TYPES.ExpressionStatement || !encloses(statement.parent, site)) continue;
      elements.push(...call.arguments);
    }
    return elements;
  };

  /**
   * Whether `callee.postMessage(…)` is a platform postMessage, whose transfer list detaches: the
   * receiver is (a union or intersection with) a known message target, the global `self`,
   * `globalThis` or `window`, or the method is declared by the platform's own typings (lib.dom,
   * lib.webworker, @types/node) — which covers `self` under the WebWorker lib, typed
   * `WorkerGlobalScope & typeof globalThis`, and `globalThis.postMessage`.
   */
  const isPlatformPostMessage = (callee: TSESTree.MemberExpression): boolean => {
    const object = callee.object;
    if (object.type === AST_NODE_TYPES.Identifier && GLOBAL_SCOPES.has(object.name) && isGlobal(object)) return true;
    const receiver = checker.getNonNullableType(typeOf(object));
    if (constituents(receiver).some((part) => MESSAGE_TARGETS.has(part.getSymbol()?.name ?? ''))) return true;
    const method = checker.getSymbolAtLocation(tsNode(callee.property));
    return method?.declarations?.some((declaration) => isPlatformFile(declaration.getSourceFile())) ?? false;
  };

  return { addTransfers, isPlatformPostMessage };
}

/** `a.b.c` with plain property names: the root binding and the path (`['b', 'c']`). */
export function memberChain(node: TSESTree.MemberExpression): { root: TSESTree.Identifier; path: string[] } | undefined {
  const path: string[] = [];
  let current: TSESTree.Node = node;
  while (current.type === AST_NODE_TYPES.MemberExpression) {
    if (current.computed || current.property.type !== AST_NODE_TYPES.Identifier) return undefined;
    path.unshift(current.property.name);
    current = current.object;
  }
  return current.type === AST_NODE_TYPES.Identifier ? { root: current, path } : undefined;
}

/** A typed array or DataView: a view over a buffer, detached when the buffer is. */
export function isView(type: ts.Type): boolean {
  return type.getProperty('buffer') !== undefined && type.getProperty('byteOffset') !== undefined;
}

/** The members of a union or intersection (nested ones flattened), or the type itself. */
function constituents(type: ts.Type): ts.Type[] {
  return type.isUnionOrIntersection() ? type.types.flatMap(constituents) : [type];
}

/** TypeScript's lib files and @types/node: where the platform's own postMessage is declared. */
function isPlatformFile(file: ts.SourceFile): boolean {
  return file.hasNoDefaultLib || /[\\/]typescript[\\/]lib[\\/]lib\.[^\\/]*\.d\.ts$/.test(file.fileName) || /[\\/]@types[\\/]node[\\/]/.test(file.fileName);
}

/** Whether `node` may be a transfer list, or options holding one (not Window's `targetOrigin`). */
function isTransferShape(node: TSESTree.Node | undefined): boolean {
  return node?.type === AST_NODE_TYPES.ArrayExpression || node?.type === AST_NODE_TYPES.ObjectExpression || node?.type === AST_NODE_TYPES.Identifier;
}

/** Whether `inner` lies inside `outer`'s source range. */
function encloses(outer: TSESTree.Node, inner: TSESTree.Node): boolean {
  return outer.range[0] <= inner.range[0] && inner.range[1] <= outer.range[1];
}

/** The expression under `as`, `!` and `satisfies`. */
export function unwrap(node: TSESTree.Node | undefined): TSESTree.Node | undefined {
  let current = node;
  while (current?.type === AST_NODE_TYPES.TSAsExpression || current?.type === AST_NODE_TYPES.TSNonNullExpression || current?.type === AST_NODE_TYPES.TSSatisfiesExpression) {
    current = current.expression;
  }
  return current;
}
