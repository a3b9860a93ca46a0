import { AST_NODE_TYPES } from '@typescript-eslint/utils';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../create-rule.js';
import { getFileAnalysis } from '../analysis/file-analysis.js';
import { inTypeQuery } from '../analysis/captures.js';
import { CodePathMoves } from '../analysis/move-flow.js';
import type { Segment } from '../analysis/move-flow.js';
import { deferredRegistration } from '../analysis/callbacks.js';
import { memberChain } from '../analysis/transfers.js';
import type { MoveSite, Place } from '../analysis/sites.js';
import { transferAliases } from '../analysis/transfer-aliases.js';

type Variable = TSESLint.Scope.Variable;
type MessageIds = 'moved' | 'maybeMoved' | 'movedInLoop' | 'movedBeforeClosure' | 'movedBeforeCall' | 'movedBeforeCallback';

/** ESLint's code-path events, which typescript-eslint's listener type leaves out. */
interface CodePathListener {
  onCodePathStart(codePath: { initialSegment: Segment }, node: TSESTree.Node): void;
  onCodePathEnd(codePath: { returnedSegments: Segment[] }, node: TSESTree.Node): void;
  onCodePathSegmentStart(segment: Segment): void;
  onCodePathSegmentEnd(segment: Segment): void;
  onUnreachableCodePathSegmentStart(segment: Segment): void;
  onUnreachableCodePathSegmentEnd(segment: Segment): void;
}

export default createRule<[], MessageIds>({
  name: 'no-use-after-send',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow using a binding after it was moved: sent on a channel, moved into a thread, a lock, or a transfer list',
      recommended: true,
      requiresTypeChecking: true,
    },
    schema: [],
    messages: {
      moved: 'use of moved value `{{name}}`: it was {{how}} at {{where}}. Re-assign it before this use, or move a copy.',
      maybeMoved:
        'use of possibly moved value `{{name}}`: it was {{how}} at {{where}} on a path that reaches here. Re-assign it on that path, or move a copy.',
      movedInLoop:
        'use of moved value `{{name}}`: it was {{how}} at {{where}}, in a previous iteration of the loop. Re-assign it in the loop, or move a copy each time.',
      movedBeforeClosure:
        'use of moved value `{{name}}` in a closure created after it was {{how}} at {{where}}.',
      movedBeforeCall:
        'use of moved value `{{name}}`: `{{via}}` reads it, and it was {{how}} at {{where}} before this call (possibly, or in an earlier iteration). Call `{{via}}` before the move, or move a copy.',
      movedBeforeCallback:
        'use of moved value `{{name}}` in a callback registered with `{{via}}`: it runs later, after `{{name}}` was {{how}} at {{where}}. Read what the callback needs before the move, or move a copy.',
    },
  },
  defaultOptions: [],
  create(context) {
    const analysis = getFileAnalysis(context);
    if (analysis === null || analysis.moves.size === 0) return {};
    const { references, sourceCode, places } = analysis;

    // A transfer detaches the views and aliases of what it lists as well (transfer-aliases.ts).
    const moves = new Map<TSESTree.Node, MoveSite[]>();
    for (const [node, sites] of analysis.moves) {
      moves.set(node, sites.flatMap((site) => (site.transfer ? [site, ...transferAliases(analysis, site)] : [site])));
    }
    // Only bindings that are moved somewhere in the file (or have a member moved) are worth tracking.
    const tracked = new Set<Variable>();
    for (const sites of moves.values()) for (const site of sites) tracked.add(site.place.variable);

    /**
     * The tracked places a read of `identifier` uses: the binding itself, and each moved member
     * the member chain starting there reads (`msg.data.byteLength` uses `msg.data`). Assigning
     * the member (`msg.data = …`) is not a use of it.
     */
    const usedPlaces = (identifier: TSESTree.Identifier, variable: Variable): Place[] => {
      const { path, top } = chainFrom(identifier);
      const assigned = top.parent?.type === AST_NODE_TYPES.AssignmentExpression && top.parent.left === top && top.parent.operator === '=';
      return places.of(variable).filter(
        (place) => isPrefix(place.path, path) && !(assigned && place.path.length > 0 && place.path.length === path.length),
      );
    };

    const paths: CodePathMoves[] = [];
    const top = (): CodePathMoves | undefined => paths.at(-1);

    /** Every tracked place rooted at `variable` (assigning a binding re-initialises its members too). */
    const assignAll = (variable: Variable, from: readonly string[] = []): void => {
      for (const place of places.of(variable)) if (isPrefix(from, place.path)) top()?.record({ kind: 'assign', place });
    };

    const assignPattern = (pattern: TSESTree.Node | null): void => {
      if (top() === undefined || pattern === null) return;
      if (pattern.type === AST_NODE_TYPES.MemberExpression) {
        // `msg.data = fresh` makes `msg.data` (and what is below it) live again.
        const chain = memberChain(pattern);
        const variable = chain && references.get(chain.root)?.resolved;
        if (chain && variable && tracked.has(variable) && chain.path.length > 0) assignAll(variable, chain.path);
        return;
      }
      for (const identifier of patternIdentifiers(pattern)) {
        const variable = references.get(identifier)?.resolved;
        if (variable && tracked.has(variable)) assignAll(variable);
      }
    };

    const recordMoves = (node: TSESTree.Node): void => {
      const path = top();
      for (const site of moves.get(node) ?? []) path?.record({ kind: 'move', place: site.place, site });
    };

    /** The outer reads of a closure's body, as tracked places. */
    const closureReads = (through: readonly TSESLint.Scope.Reference[]): Array<{ place: Place; node: TSESTree.Identifier }> =>
      through.flatMap((reference) => {
        const variable = reference.resolved;
        if (!variable || !tracked.has(variable) || !reference.isValueReference || !reference.isRead() || reference.identifier.type !== AST_NODE_TYPES.Identifier) return [];
        const node = reference.identifier;
        return usedPlaces(node, variable).map((place) => ({ place, node }));
      });

    /**
     * `f()` where `f` is a function of this file that reads tracked bindings from outside
     * itself (a `const` arrow or function expression, or a function declaration): the call
     * reads them here, so a closure made before the move and called after it is a use after
     * the move (rustc reports the move itself, since the closure borrows). One level deep: a
     * function that calls another function is not followed. A function that assigns the
     * binding re-initialises it.
     */
    const recordClosureCall = (call: TSESTree.CallExpression): void => {
      const path = top();
      if (path === undefined || call.callee.type !== AST_NODE_TYPES.Identifier) return;
      const callee = call.callee;
      const fn = calledFunction(references.get(callee)?.resolved ?? null);
      if (fn === undefined) return;
      const through = sourceCode.scopeManager?.acquire(fn)?.through ?? [];
      for (const { place } of closureReads(through)) path.record({ kind: 'use', place, node: callee, inClosure: false, via: callee.name });
      // A function that assigns the binding makes it live again, as an assignment here would
      // (taken as done even when the assignment is conditional: no report rather than a wrong one).
      for (const reference of through) {
        const variable = reference.resolved;
        if (variable && tracked.has(variable) && reference.isValueReference && reference.isWrite() && !reference.isRead()) assignAll(variable);
      }
    };

    const codePaths: CodePathListener = {
      onCodePathStart(codePath, node) {
        // A closure is created where it appears: what it reads from outside is a use at that
        // point of the enclosing path (rustc's "use occurs due to use in closure").
        const outer = top();
        if (outer && (node.type === AST_NODE_TYPES.ArrowFunctionExpression || node.type === AST_NODE_TYPES.FunctionExpression)) {
          const reads = closureReads(sourceCode.scopeManager?.acquire(node)?.through ?? []);
          for (const { place, node: use } of reads) outer.record({ kind: 'use', place, node: use, inClosure: true });
          // A listener registered here runs later, when this code has finished: it reads the state at its end.
          const registration = deferredRegistration(sourceCode, node);
          if (registration !== undefined) for (const { place, node: use } of reads) outer.recordDeferred(place, use, registration);
        }
        paths.push(new CodePathMoves(codePath.initialSegment));
      },
      onCodePathEnd(codePath) {
        const path = paths.pop();
        for (const finding of path?.solve(codePath.returnedSegments) ?? []) {
          const line = finding.site.node.loc.start.line;
          const column = finding.site.node.loc.start.column + 1;
          context.report({
            node: finding.use,
            messageId: finding.shape,
            data: { name: finding.place.name, how: finding.site.how, where: `${line}:${column}`, via: finding.via ?? '' },
          });
        }
      },
      onCodePathSegmentStart: (segment) => top()?.enterSegment(segment),
      onCodePathSegmentEnd: (segment) => top()?.leaveSegment(segment),
      onUnreachableCodePathSegmentStart: (segment) => top()?.enterSegment(segment),
      onUnreachableCodePathSegmentEnd: (segment) => top()?.leaveSegment(segment),
    };
    const nodes: TSESLint.RuleListener = {
      Identifier(node) {
        const reference = references.get(node);
        const variable = reference?.resolved;
        if (!reference || !variable || !tracked.has(variable) || !reference.isValueReference || inTypeQuery(node)) return;
        if (reference.isRead()) {
          for (const place of usedPlaces(node, variable)) top()?.record({ kind: 'use', place, node, inClosure: false });
        } else if (node.parent.type === AST_NODE_TYPES.ForOfStatement || node.parent.type === AST_NODE_TYPES.ForInStatement) {
          // `for (x of xs)` assigns at the head of every iteration.
          assignAll(variable);
        }
      },
      // An assignment takes effect after its right-hand side is evaluated: `x = f(x)` reads first.
      'AssignmentExpression:exit': (node) => assignPattern(node.left),
      'VariableDeclarator:exit': (node) => assignPattern(node.id),
      CatchClause(node) {
        const tryStatement = node.parent;
        top()?.record({ kind: 'enterCatch', tryRange: tryStatement.block.range });
      },
      'CallExpression:exit': (node) => {
        // The callee runs after its arguments: a move among them is already made.
        recordClosureCall(node);
        recordMoves(node);
      },
      'NewExpression:exit': recordMoves,
    };
    // ESLint dispatches code-path events to the same listener object as node events.
    return { ...nodes, ...(codePaths as unknown as TSESLint.RuleListener) };
  },
});

/** The member chain a reference starts: `msg.data.byteLength` from `msg` → ['data', 'byteLength']. */
function chainFrom(identifier: TSESTree.Identifier): { path: string[]; top: TSESTree.Node } {
  const path: string[] = [];
  let top: TSESTree.Node = identifier;
  while (top.parent?.type === AST_NODE_TYPES.MemberExpression && top.parent.object === top && !top.parent.computed && top.parent.property.type === AST_NODE_TYPES.Identifier) {
    path.push(top.parent.property.name);
    top = top.parent;
  }
  return { path, top };
}

function isPrefix(prefix: readonly string[], path: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((part, index) => part === path[index]);
}

/** The identifiers a destructuring pattern binds. */
function patternIdentifiers(pattern: TSESTree.Node): TSESTree.Identifier[] {
  switch (pattern.type) {
    case AST_NODE_TYPES.Identifier:
      return [pattern];
    case AST_NODE_TYPES.ArrayPattern:
      return pattern.elements.flatMap((element) => (element ? patternIdentifiers(element) : []));
    case AST_NODE_TYPES.ObjectPattern:
      return pattern.properties.flatMap((property) =>
        patternIdentifiers(property.type === AST_NODE_TYPES.RestElement ? property : property.value),
      );
    case AST_NODE_TYPES.AssignmentPattern:
      return patternIdentifiers(pattern.left);
    case AST_NODE_TYPES.RestElement:
      return patternIdentifiers(pattern.argument);
    default:
      return [];
  }
}

/** The function a never-reassigned binding names: `const f = () => …`, `function f() {}`. */
function calledFunction(variable: Variable | null): TSESTree.FunctionLike | undefined {
  if (variable === null || variable.defs.length !== 1) return undefined;
  const definition = variable.defs[0]!;
  if (definition.node.type === AST_NODE_TYPES.FunctionDeclaration) return definition.node;
  if (definition.node.type !== AST_NODE_TYPES.VariableDeclarator || definition.parent?.type !== AST_NODE_TYPES.VariableDeclaration) return undefined;
  if (definition.parent.kind !== 'const') return undefined;
  const init = definition.node.init;
  return init?.type === AST_NODE_TYPES.ArrowFunctionExpression || init?.type === AST_NODE_TYPES.FunctionExpression ? init : undefined;
}
