import { AST_NODE_TYPES, ESLintUtils } from '@typescript-eslint/utils';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type ts from 'typescript';
import { createRule } from '../create-rule.js';
import { getFileAnalysis } from '../analysis/file-analysis.js';

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
    const report = (call: TSESTree.CallExpression, callee: string): void => {
      const node = outermost(call);
      const parent = node.parent;
      if (parent?.type === AST_NODE_TYPES.ExpressionStatement || (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === node && !isJoin(parent))) {
        context.report({ node: call, messageId: 'dropped', data: { callee } });
      } else if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === node && parent.id.type === AST_NODE_TYPES.Identifier) {
        const variable = context.sourceCode.getDeclaredVariables(parent)[0];
        if (variable && !variable.references.some(handsOn)) {
          context.report({ node: parent.id, messageId: 'neverJoined', data: { name: parent.id.name, callee } });
        }
      }
      // Anything else passes the handle on: an argument, a return value, an array element…
    };

    // Other calls that return a JoinHandle: a user's wrapper (`function start() { return
    // spawn(…) }`), here or imported, even in a file that does not import fearless. Typed only
    // where dropping would matter (a statement, a property read, a declaration), so ordinary
    // calls cost nothing.
    const services = ESLintUtils.getParserServices(context, true);
    const checker = services.program?.getTypeChecker();
    const spawnCalls = new Set<TSESTree.Node>(analysis?.spawns.map((site) => site.call) ?? []);
    const listeners: TSESLint.RuleListener = {};
    if (checker !== undefined) {
      listeners.CallExpression = (call) => {
        if (spawnCalls.has(call) || !mayDrop(call)) return;
        const type = checker.getTypeAtLocation(services.esTreeNodeToTSNodeMap.get(call));
        if (isJoinHandle(type)) report(call, `${context.sourceCode.getText(call.callee)}()`);
      };
    }
    if (analysis !== null && analysis.spawns.some((site) => site.returnsJoinHandle)) {
      listeners['Program:exit'] = () => {
        for (const site of analysis.spawns) if (site.returnsJoinHandle) report(site.call, site.calleeText);
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

/** Whether the call's value could be dropped or bound where it stands (see `report`). */
function mayDrop(call: TSESTree.CallExpression): boolean {
  const node = outermost(call);
  const parent = node.parent;
  return (
    parent?.type === AST_NODE_TYPES.ExpressionStatement ||
    (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === node) ||
    (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === node)
  );
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
