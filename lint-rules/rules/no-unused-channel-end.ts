import { AST_NODE_TYPES } from '@typescript-eslint/utils';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../create-rule.js';
import { getFileAnalysis } from '../analysis/file-analysis.js';

type MessageIds = 'senderDropped' | 'senderUnused' | 'receiverDropped' | 'receiverUnused';

/** The two ends of `channel()` / `syncChannel()`, in the order the tuple holds them. */
const ENDS = ['sender', 'receiver'] as const;

export default createRule<[], MessageIds>({
  name: 'no-unused-channel-end',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow a channel end that is created and then never used or closed',
      recommended: true,
      requiresTypeChecking: true,
    },
    schema: [],
    messages: {
      senderDropped:
        'The sender of this `{{callee}}` is dropped where it is made: it stays alive until the garbage collector finds it, so the receiver disconnects at an unknown time, `recv()` waits until then and a `select` loop on it spins. Bind it and `close()` it when no message will come, or use it.',
      senderUnused:
        '`{{name}}`, the sender of this `{{callee}}`, is never used or closed: it stays alive until the garbage collector finds it, so the receiver disconnects at an unknown time, `recv()` waits until then and a `select` loop on it spins. Call `{{name}}.close()` when no message will come, or use it.',
      receiverDropped:
        'The receiver of this `{{callee}}` is dropped where it is made: until the garbage collector finds it, every message sent goes nowhere (and a bounded channel fills up and blocks its senders); `send` fails with SendError only at an unknown time. Bind it and receive, or `close()` it.',
      receiverUnused:
        '`{{name}}`, the receiver of this `{{callee}}`, is never used or closed: until the garbage collector finds it, every message sent goes nowhere (and a bounded channel fills up and blocks its senders); `send` fails with SendError only at an unknown time. Receive from it, or call `{{name}}.close()`.',
    },
  },
  defaultOptions: [],
  create(context) {
    const analysis = getFileAnalysis(context);
    if (analysis === null || !analysis.fearless.available) return {};
    const { fearless, checker, services } = analysis;
    const constructorOf = (call: TSESTree.CallExpression): string | undefined => {
      const callee = call.callee.type === AST_NODE_TYPES.MemberExpression ? call.callee.property : call.callee;
      const name = fearless.nameOf(checker.getSymbolAtLocation(services.esTreeNodeToTSNodeMap.get(callee)));
      return name === 'channel' || name === 'syncChannel' ? name : undefined;
    };

    const check = (call: TSESTree.CallExpression, pattern: TSESTree.ArrayPattern | undefined, declared: boolean): void => {
      const callee = constructorOf(call);
      if (callee === undefined) return;
      ENDS.forEach((end, index) => {
        if (pattern === undefined) {
          // `channel();` as a statement: both ends are dropped at once; each is reported.
          context.report({ node: call, messageId: `${end}Dropped`, data: { callee } });
          return;
        }
        const element = pattern.elements[index];
        // `[...ends]` keeps every end beyond the rest's position: nothing is dropped there.
        if (pattern.elements.slice(0, index + 1).some((e) => e?.type === AST_NODE_TYPES.RestElement)) return;
        if (element == null) {
          context.report({ node: pattern, messageId: `${end}Dropped`, data: { callee } });
          return;
        }
        if (element.type !== AST_NODE_TYPES.Identifier || !declared) return;
        const variable = context.sourceCode.getDeclaredVariables(pattern.parent).find((v) => v.name === element.name);
        if (variable === undefined || variable.references.some(isRead)) return;
        context.report({ node: element, messageId: `${end}Unused`, data: { name: element.name, callee } });
      });
    };

    return {
      CallExpression(call) {
        const parent = call.parent;
        if (parent.type === AST_NODE_TYPES.ExpressionStatement) {
          check(call, undefined, false);
        } else if (parent.type === AST_NODE_TYPES.VariableDeclarator && parent.init === call && parent.id.type === AST_NODE_TYPES.ArrayPattern) {
          // An exported binding is used by other modules: only its holes are this file's to judge.
          const exported = parent.parent.parent?.type === AST_NODE_TYPES.ExportNamedDeclaration;
          check(call, parent.id, !exported);
        } else if (parent.type === AST_NODE_TYPES.AssignmentExpression && parent.right === call && parent.left.type === AST_NODE_TYPES.ArrayPattern) {
          // `[tx, rx] = channel()` assigns existing bindings, read elsewhere: holes only.
          check(call, parent.left, false);
        }
      },
    };
  },
});

/** A reference that reads the binding: a call on it, passing it on, moving it, returning it. */
function isRead(reference: TSESLint.Scope.Reference): boolean {
  return reference.isRead();
}
