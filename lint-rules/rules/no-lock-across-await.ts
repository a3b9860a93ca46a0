import { AST_NODE_TYPES } from '@typescript-eslint/utils';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../create-rule.js';
import { getFileAnalysis } from '../analysis/file-analysis.js';
import type { GuardSite } from '../analysis/sites.js';

type MessageIds = 'heldAcrossAwait';

export default createRule<[], MessageIds>({
  name: 'no-lock-across-await',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow holding a Mutex or RwLock guard across an `await`',
      recommended: true,
      requiresTypeChecking: true,
    },
    schema: [],
    messages: {
      heldAcrossAwait:
        '`{{name}}` holds the {{lock}} lock taken by `{{call}}` across the `await` at {{where}}: every other thread that wants it waits the whole time, and a task on this thread that needs it deadlocks. Release it before awaiting: end its `using` block, or call `{{name}}[Symbol.dispose]()`.',
    },
  },
  defaultOptions: [],
  create(context) {
    const analysis = getFileAnalysis(context);
    if (analysis === null || analysis.guards.length === 0) return {};
    const awaits: TSESTree.Node[] = [];
    return {
      AwaitExpression: (node) => void awaits.push(node),
      'ForOfStatement[await=true]': (node: TSESTree.ForOfStatement) => void awaits.push(node),
      'Program:exit'() {
        for (const guard of analysis.guards) {
          const held = heldRegion(context.sourceCode, guard, analysis.condvarWaits);
          if (held === undefined) continue;
          const crossing = awaits.find(
            (node) =>
              node.range[0] >= held.start &&
              node.range[0] < held.end &&
              enclosingFunction(node) === held.owner &&
              !releasesGuard(analysis.condvarWaits, node, held.variable),
          );
          if (crossing === undefined) continue;
          context.report({
            node: held.id,
            messageId: 'heldAcrossAwait',
            data: {
              name: held.id.name,
              lock: guard.lockKind,
              call: guard.calleeText,
              where: `${crossing.loc.start.line}:${crossing.loc.start.column + 1}`,
            },
          });
        }
      },
    };
  },
});

interface HeldRegion {
  readonly id: TSESTree.Identifier;
  readonly variable: TSESLint.Scope.Variable;
  /** The function whose awaits count (an await in a nested function does not suspend this one). */
  readonly owner: TSESTree.Node;
  readonly start: number;
  readonly end: number;
}

/**
 * Where a guard bound to a variable holds its lock: from its declaration to the end of its block
 * (`using` releases there; a plain `const` never releases by itself), or to an explicit
 * `guard[Symbol.dispose]()` before that.
 */
function heldRegion(sourceCode: Readonly<TSESLint.SourceCode>, guard: GuardSite, condvarWaits: ReadonlySet<TSESTree.CallExpression>): HeldRegion | undefined {
  let node: TSESTree.Node = guard.call;
  let awaited = false;
  while (node.parent?.type === AST_NODE_TYPES.AwaitExpression || node.parent?.type === AST_NODE_TYPES.TSNonNullExpression || node.parent?.type === AST_NODE_TYPES.TSAsExpression) {
    awaited ||= node.parent.type === AST_NODE_TYPES.AwaitExpression;
    node = node.parent;
  }
  // `const pending = m.lock()` holds a Promise of a guard, not the lock: nothing is held yet.
  if (guard.async && !awaited) return undefined;
  const declarator = node.parent;
  if (declarator?.type !== AST_NODE_TYPES.VariableDeclarator || declarator.init !== node || declarator.id.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = sourceCode.getDeclaredVariables(declarator)[0];
  const block = declarator.parent.parent;
  if (variable === undefined || block === undefined) return undefined;
  const start = declarator.range[1];
  let end = block.range[1];
  for (const reference of variable.references) {
    const at = reference.identifier.range[0];
    if (at > start && at < end && (isDisposeCall(reference.identifier) || isHandedToWait(reference.identifier, condvarWaits))) end = at;
  }
  return { id: declarator.id, variable, owner: enclosingFunction(declarator), start, end };
}

/** `guard[Symbol.dispose]()`. */
function isDisposeCall(identifier: TSESTree.Node): boolean {
  const member = identifier.parent;
  if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== identifier || !member.computed) return false;
  const property = member.property;
  const isDispose =
    property.type === AST_NODE_TYPES.MemberExpression &&
    property.object.type === AST_NODE_TYPES.Identifier &&
    property.object.name === 'Symbol' &&
    property.property.type === AST_NODE_TYPES.Identifier &&
    property.property.name === 'dispose';
  return isDispose && member.parent.type === AST_NODE_TYPES.CallExpression && member.parent.callee === member;
}

/**
 * `const waited = cv.wait(guard)` without `await`: the condvar releases the lock and the guard
 * comes back through the promise, so this binding no longer holds it. (An awaited wait is
 * skipped in place instead, because the binding holds the lock again afterwards.)
 */
function isHandedToWait(identifier: TSESTree.Node, condvarWaits: ReadonlySet<TSESTree.CallExpression>): boolean {
  const call = identifier.parent;
  return call?.type === AST_NODE_TYPES.CallExpression && call.arguments[0] === identifier && condvarWaits.has(call) && call.parent.type !== AST_NODE_TYPES.AwaitExpression;
}

/** `await cv.wait(guard)` releases the guard's lock while it waits: not a hold. */
function releasesGuard(condvarWaits: ReadonlySet<TSESTree.CallExpression>, node: TSESTree.Node, variable: TSESLint.Scope.Variable): boolean {
  if (node.type !== AST_NODE_TYPES.AwaitExpression || node.argument.type !== AST_NODE_TYPES.CallExpression) return false;
  const call = node.argument;
  const argument = call.arguments[0];
  return condvarWaits.has(call) && argument?.type === AST_NODE_TYPES.Identifier && variable.references.some((reference) => reference.identifier === argument);
}

function enclosingFunction(node: TSESTree.Node): TSESTree.Node {
  let current: TSESTree.Node = node;
  while (current.parent) {
    current = current.parent;
    if (current.type === AST_NODE_TYPES.FunctionDeclaration || current.type === AST_NODE_TYPES.FunctionExpression || current.type === AST_NODE_TYPES.ArrowFunctionExpression) {
      return current;
    }
  }
  return current;
}
