import { AST_NODE_TYPES } from '@typescript-eslint/utils';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
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
    if (analysis === null || !analysis.spawns.some((site) => site.returnsJoinHandle)) return {};
    return {
      'Program:exit'() {
        for (const site of analysis.spawns) {
          if (!site.returnsJoinHandle) continue;
          const callee = site.calleeText;
          let node: TSESTree.Node = site.call;
          while (
            node.parent?.type === AST_NODE_TYPES.ChainExpression ||
            node.parent?.type === AST_NODE_TYPES.TSAsExpression ||
            node.parent?.type === AST_NODE_TYPES.TSNonNullExpression ||
            node.parent?.type === AST_NODE_TYPES.TSSatisfiesExpression
          ) {
            node = node.parent;
          }
          const parent = node.parent;
          if (parent?.type === AST_NODE_TYPES.ExpressionStatement || (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === node && !isJoin(parent))) {
            context.report({ node: site.call, messageId: 'dropped', data: { callee } });
          } else if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === node && parent.id.type === AST_NODE_TYPES.Identifier) {
            const variable = context.sourceCode.getDeclaredVariables(parent)[0];
            if (variable && !variable.references.some(handsOn)) {
              context.report({ node: parent.id, messageId: 'neverJoined', data: { name: parent.id.name, callee } });
            }
          }
          // Anything else passes the handle on: an argument, a return value, an array element…
        }
      },
    };
  },
});

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
