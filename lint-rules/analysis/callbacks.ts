import { AST_NODE_TYPES } from '@typescript-eslint/utils';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

/** Methods that register a listener to be called later (Node's EventEmitter, the DOM's EventTarget). */
const LISTENER_METHODS: ReadonlySet<string> = new Set([
  'on', 'once', 'addListener', 'prependListener', 'prependOnceListener', 'addEventListener',
]);
/** Globals that call their callback later, never during the call. */
const TIMERS: ReadonlySet<string> = new Set(['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask']);

/**
 * When `fn` is a callback that runs after the code registering it has finished, how the message
 * names the registration (`worker.once()`, `port.onmessage`); otherwise undefined.
 *
 * A registration inside an `await`ed expression is left out: the callback may run while the
 * await is pending, before what follows it. `.then()` is left out for the same reason.
 *
 * @example
 * ```ts
 * worker.once('message', () => log(buf.byteLength)); // → 'worker.once()'
 * port.onmessage = (event) => use(event, buf);        // → 'port.onmessage'
 * ```
 */
export function deferredRegistration(sourceCode: Readonly<TSESLint.SourceCode>, fn: TSESTree.Node): string | undefined {
  const parent = fn.parent;
  if (parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments.includes(fn as TSESTree.CallExpressionArgument)) {
    const callee = parent.callee;
    const registers =
      (callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier && LISTENER_METHODS.has(callee.property.name)) ||
      (callee.type === AST_NODE_TYPES.Identifier && TIMERS.has(callee.name));
    if (!registers || isAwaited(parent)) return undefined;
    return `${sourceCode.getText(callee)}()`;
  }
  if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === fn && parent.left.type === AST_NODE_TYPES.MemberExpression) {
    const property = parent.left.property;
    if (!parent.left.computed && property.type === AST_NODE_TYPES.Identifier && /^on[a-z]+$/.test(property.name)) return sourceCode.getText(parent.left);
  }
  return undefined;
}

/** Whether `node` is part of an awaited expression of its own function. */
function isAwaited(node: TSESTree.Node): boolean {
  for (let current = node.parent; current !== undefined; current = current.parent) {
    if (current.type === AST_NODE_TYPES.AwaitExpression) return true;
    if (
      current.type === AST_NODE_TYPES.ArrowFunctionExpression ||
      current.type === AST_NODE_TYPES.FunctionExpression ||
      current.type === AST_NODE_TYPES.FunctionDeclaration ||
      current.type === AST_NODE_TYPES.ExpressionStatement ||
      current.type === AST_NODE_TYPES.VariableDeclaration
    ) {
      return false;
    }
  }
  return false;
}
