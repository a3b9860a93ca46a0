import { AST_NODE_TYPES } from '@typescript-eslint/utils';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type ts from 'typescript';
import { createRule } from '../create-rule.js';
import { getFileAnalysis } from '../analysis/file-analysis.js';
import { typeServices } from '../analysis/type-services.js';

type MessageIds = 'dropped' | 'neverJoined';

export default createRule<[], MessageIds>({
  name: 'no-unjoined-spawn',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow dropping the JoinHandle of a spawned thread without joining it',
      recommended: true,
      requiresTypeChecking: true,
    },
    schema: [],
    messages: {
      dropped:
        'The JoinHandle returned by `{{callee}}` is dropped without `join()`: a panic in the thread goes unnoticed and its result is lost. Await `.join()` on it, or keep the handle and join it later (`void` drops it on purpose).',
      neverJoined:
        '`{{name}}` holds the JoinHandle returned by `{{callee}}` but is never joined, returned or passed on: a panic in the thread goes unnoticed and its result is lost. Await `{{name}}.join()`.',
    },
  },
  defaultOptions: [],
  create(context) {
    const analysis = getFileAnalysis(context);
    const report = (call: TSESTree.CallExpression, callee: string, where: Fate): void => {
      if (where.kind === 'dropped') {
        context.report({ node: call, messageId: 'dropped', data: { callee } });
        return;
      }
      const id = where.id;
      const variable = context.sourceCode.getDeclaredVariables(where.declarator)[0];
      if (variable && !variable.references.some(handsOn)) {
        context.report({ node: id, messageId: 'neverJoined', data: { name: id.name, callee } });
      }
    };

    // Other calls that return a JoinHandle: a user's wrapper (`function start() { return
    // spawn(…) }`), here or imported, even in a file that does not import fearless. Typed only
    // where dropping would matter (a statement, a property read, a declaration), so ordinary
    // calls cost nothing.
    const services = typeServices(context);
    const checker = services?.program.getTypeChecker();
    const typeOf = (node: TSESTree.Node): ts.Type | undefined => (services && checker ? checker.getTypeAtLocation(services.esTreeNodeToTSNodeMap.get(node)) : undefined);
    const spawnCalls = new Set<TSESTree.Node>(analysis?.spawns.map((site) => site.call) ?? []);
    const listeners: TSESLint.RuleListener = {};
    if (checker !== undefined) {
      listeners.CallExpression = (call) => {
        if (spawnCalls.has(call)) return;
        const where = fate(call);
        if (where === undefined) return;
        const type = typeOf(call);
        if (type !== undefined && isJoinHandle(type)) report(call, `${context.sourceCode.getText(call.callee)}()`, where);
      };
    }
    if (analysis !== null && analysis.spawns.some((site) => site.returnsJoinHandle)) {
      listeners['Program:exit'] = () => {
        for (const site of analysis.spawns) {
          // A scope joins every thread spawned through it when its body settles.
          const where = site.returnsJoinHandle && site.kind !== 'scope.spawn' ? fate(site.call) : undefined;
          if (where !== undefined) report(site.call, site.calleeText, where);
        }
      };
    }
    return listeners;
  },
});

/** The call with the wrappers that do not change its value (`?.`, `!`, `as`, `satisfies`). */
function outermost(call: TSESTree.CallExpression): TSESTree.Node {
  let node: TSESTree.Node = call;
  while (
    node.parent?.type === AST_NODE_TYPES.ChainExpression ||
    node.parent?.type === AST_NODE_TYPES.TSAsExpression ||
    node.parent?.type === AST_NODE_TYPES.TSNonNullExpression ||
    node.parent?.type === AST_NODE_TYPES.TSSatisfiesExpression
  ) {
    node = node.parent;
  }
  return node;
}

/** What becomes of a call's value where it stands, when that could lose a JoinHandle. */
type Fate =
  | { readonly kind: 'dropped' }
  | { readonly kind: 'bound'; readonly declarator: TSESTree.VariableDeclarator; readonly id: TSESTree.Identifier };

/**
 * `dropped`: an expression statement, or a property other than `join` read off it; `bound`:
 * the initialiser of a plain `const x = …`. Anything else (an argument, a return value, an
 * array element, `.join()`) passes the value on or joins it: undefined.
 */
function fate(call: TSESTree.CallExpression): Fate | undefined {
  const node = outermost(call);
  const parent = node.parent;
  if (parent?.type === AST_NODE_TYPES.ExpressionStatement || (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === node && !isJoin(parent))) {
    return { kind: 'dropped' };
  }
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === node && parent.id.type === AST_NODE_TYPES.Identifier) {
    return { kind: 'bound', declarator: parent, id: parent.id };
  }
  return undefined;
}

/**
 * fearless's JoinHandle, known by its name and shape (`join()`, `isFinished`) rather than by the
 * file declaring it, so it is recognised in files that never import fearless.
 */
function isJoinHandle(type: ts.Type): boolean {
  const symbol = type.getSymbol();
  if (symbol?.name !== 'JoinHandle') return false;
  return type.getProperty('join') !== undefined && type.getProperty('isFinished') !== undefined;
}

function isJoin(member: TSESTree.MemberExpression): boolean {
  return !member.computed && member.property.type === AST_NODE_TYPES.Identifier && member.property.name === 'join';
}

/**
 * Whether a reference joins the handle or passes it on (returned, stored, an argument, awaited
 * with others...). Only reading a property other than `join` (`handle.isFinished`) does not.
 */
function handsOn(reference: TSESLint.Scope.Reference): boolean {
  if (!reference.isRead()) return false;
  const parent = reference.identifier.parent;
  if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === reference.identifier) return isJoin(parent);
  return true;
}
