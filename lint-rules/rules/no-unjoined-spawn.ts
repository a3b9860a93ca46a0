import { AST_NODE_TYPES, ASTUtils } from '@typescript-eslint/utils';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import ts from 'typescript';
import { createRule } from '../create-rule.js';
import { getFileAnalysis } from '../analysis/file-analysis.js';
import { typeServices } from '../analysis/type-services.js';

type MessageIds = 'dropped' | 'neverJoined' | 'collectedNeverJoined' | 'notThenable';

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
      collectedNeverJoined:
        '`{{name}}` collects the JoinHandles returned by `{{callee}}`, but none of them is ever joined and the array is never passed on: a panic in any of the threads goes unnoticed. Await `Promise.all({{name}}.map((handle) => handle.join()))`.',
      notThenable:
        '`{{combinator}}` is given JoinHandles, which are not thenables: it awaits nothing, its results are the handles themselves, and a panic in a thread is lost. Give it the `join()` promises instead: `{{combinator}}(handles.map((handle) => handle.join()))`.',
    },
  },
  defaultOptions: [],
  create(context) {
    const analysis = getFileAnalysis(context);
    const reportedArrays = new Set<TSESLint.Scope.Variable>();
    const reportedCombinators = new Set<TSESTree.Node>();
    const reportNotThenable = (call: TSESTree.CallExpression): void => {
      if (reportedCombinators.has(call)) return;
      reportedCombinators.add(call);
      context.report({ node: call.arguments[0] ?? call, messageId: 'notThenable', data: { combinator: context.sourceCode.getText(call.callee) } });
    };
    const report = (call: TSESTree.CallExpression, callee: string, where: Fate): void => {
      if (where.kind === 'dropped') {
        context.report({ node: call, messageId: 'dropped', data: { callee } });
        return;
      }
      if (where.kind === 'collected') {
        const variable = ASTUtils.findVariable(context.sourceCode.getScope(where.array), where.array);
        if (variable == null || variable.defs.length === 0 || reportedArrays.has(variable)) return;
        reportedArrays.add(variable);
        // Handed to Promise.all and nowhere else: that call is the mistake to point at.
        const combinators = variable.references.flatMap((reference) => combinatorOf(reference.identifier) ?? []);
        if (variable.references.some(handsOnArray)) return;
        if (combinators.length > 0) return combinators.forEach(reportNotThenable);
        const declared = variable.defs[0]!.name;
        context.report({ node: declared, messageId: 'collectedNeverJoined', data: { name: variable.name, callee } });
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
        if (isPromiseCombinator(call)) {
          if (givesJoinHandles(call)) reportNotThenable(call);
          return;
        }
        if (spawnCalls.has(call)) return;
        // `handle.abortOn(signal)` returns `handle`: dropping that value drops nothing.
        if (call.callee.type === AST_NODE_TYPES.MemberExpression && passesHandleOn(call.callee)) return;
        const where = fate(call);
        if (where === undefined) return;
        const type = typeOf(call);
        if (type !== undefined && isJoinHandle(type)) report(call, `${context.sourceCode.getText(call.callee)}()`, where);
      };
    }
    /** `Promise.all(handles)`, `Promise.all([spawn(a), spawn(b)])`: an array (or tuple) of JoinHandles. */
    const givesJoinHandles = (call: TSESTree.CallExpression): boolean => {
      const argument = call.arguments[0];
      if (argument === undefined || argument.type === AST_NODE_TYPES.SpreadElement) return false;
      if (argument.type === AST_NODE_TYPES.ArrayExpression) {
        return argument.elements.some((element) => element !== null && element.type !== AST_NODE_TYPES.SpreadElement && isJoinHandleOrUnion(typeOf(element)));
      }
      const type = typeOf(argument);
      const element = type && checker?.getIndexTypeOfType(type, ts.IndexKind.Number);
      return isJoinHandleOrUnion(element);
    };
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
  /** `handles.push(spawn(…))`, `handles[i] = spawn(…)`: into a local array, which must be joined later. */
  | { readonly kind: 'collected'; readonly array: TSESTree.Identifier }
  | { readonly kind: 'bound'; readonly declarator: TSESTree.VariableDeclarator; readonly id: TSESTree.Identifier };

/**
 * `dropped`: an expression statement, or a property other than `join` read off it; `bound`:
 * the initialiser of a plain `const x = …`. Anything else (an argument, a return value, an
 * array element, `.join()`) passes the value on or joins it: undefined.
 */
function fate(call: TSESTree.CallExpression): Fate | undefined {
  const node = outermost(call);
  const parent = node.parent;
  // `spawn(…).abortOn(signal)` is the same handle: what becomes of it is what becomes of that call.
  const chained = parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === node && passesHandleOn(parent) ? parent.parent : undefined;
  if (chained?.type === AST_NODE_TYPES.CallExpression && chained.callee === parent) return fate(chained);
  if (parent?.type === AST_NODE_TYPES.ExpressionStatement || (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === node && !isJoin(parent))) {
    return { kind: 'dropped' };
  }
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === node && parent.id.type === AST_NODE_TYPES.Identifier) {
    return { kind: 'bound', declarator: parent, id: parent.id };
  }
  if (parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments.includes(node as TSESTree.CallExpressionArgument)) {
    const callee = parent.callee;
    if (callee.type === AST_NODE_TYPES.MemberExpression && callee.object.type === AST_NODE_TYPES.Identifier && propertyName(callee) !== undefined && COLLECTING.has(propertyName(callee)!)) {
      return { kind: 'collected', array: callee.object };
    }
  }
  if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === node && parent.left.type === AST_NODE_TYPES.MemberExpression && parent.left.computed && parent.left.object.type === AST_NODE_TYPES.Identifier) {
    return { kind: 'collected', array: parent.left.object };
  }
  return undefined;
}

/** Array methods that add an element. */
const COLLECTING: ReadonlySet<string> = new Set(['push', 'unshift']);
/** Reading these off an array of handles neither joins an element nor passes the array on. */
const NOT_JOINING: ReadonlySet<string> = new Set(['push', 'unshift', 'length', 'includes', 'indexOf', 'lastIndexOf']);
const COMBINATORS: ReadonlySet<string> = new Set(['all', 'allSettled', 'race', 'any']);

function propertyName(member: TSESTree.MemberExpression): string | undefined {
  return !member.computed && member.property.type === AST_NODE_TYPES.Identifier ? member.property.name : undefined;
}

/** `Promise.all(…)`, `Promise.allSettled(…)`, `Promise.race(…)`, `Promise.any(…)`. */
function isPromiseCombinator(call: TSESTree.CallExpression): boolean {
  const callee = call.callee;
  return callee.type === AST_NODE_TYPES.MemberExpression && callee.object.type === AST_NODE_TYPES.Identifier && callee.object.name === 'Promise' && COMBINATORS.has(propertyName(callee) ?? '');
}

/** The `Promise.all(array)` call a reference to the array is the argument of. */
function combinatorOf(identifier: TSESTree.Node): TSESTree.CallExpression | undefined {
  const call = identifier.parent;
  return call?.type === AST_NODE_TYPES.CallExpression && call.arguments[0] === identifier && isPromiseCombinator(call) ? call : undefined;
}

/**
 * Whether a reference to an array of handles may join them or passes the array on: an element
 * read (`handles[i]`, `.map`, `.forEach`, `.pop()`…), a `for…of`, an argument, a return, a
 * spread. Adding to it, its length, and handing it to `Promise.all` (which joins nothing) do not.
 */
function handsOnArray(reference: TSESLint.Scope.Reference): boolean {
  if (!reference.isRead()) return false;
  const identifier = reference.identifier;
  const parent = identifier.parent;
  if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === identifier) {
    const name = propertyName(parent);
    return name === undefined || !NOT_JOINING.has(name);
  }
  return combinatorOf(identifier) === undefined;
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

/** A JoinHandle, or a union of them (`JoinHandle<A> | JoinHandle<B>`, a tuple's elements). */
function isJoinHandleOrUnion(type: ts.Type | undefined): boolean {
  if (type === undefined) return false;
  if (type.isUnion()) return type.types.some(isJoinHandle);
  return isJoinHandle(type);
}

/** `.abortOn`: a JoinHandle method that returns the handle itself. */
function passesHandleOn(member: TSESTree.MemberExpression): boolean {
  return propertyName(member) === 'abortOn';
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
  if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === reference.identifier) {
    if (isJoin(parent)) return true;
    // `handle.abortOn(signal)` hands on the handle when its result is kept or joined.
    const call = parent.parent;
    return passesHandleOn(parent) && call?.type === AST_NODE_TYPES.CallExpression && call.callee === parent && fate(call)?.kind !== 'dropped' && call.parent?.type !== AST_NODE_TYPES.ExpressionStatement;
  }
  return true;
}
