import { AST_NODE_TYPES } from '@typescript-eslint/utils';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type ts from 'typescript';
import { isView, unwrap } from './transfers.js';
import type { FileAnalysis } from './file-analysis.js';
import type { MoveSite, Place } from './sites.js';

/** Global constructors whose `new X(buffer, …)` is a view over the buffer, not a copy. */
const VIEW_CONSTRUCTORS: ReadonlySet<string> = new Set([
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array', 'DataView',
]);

/**
 * What else a transfer detaches: a `const` made from the transferred value that shares its
 * memory, and the `const` the transferred value was itself made from. Followed three levels deep
 * (a view of a destructured field; the other views over the buffer a view was read from):
 * - a view over the buffer: `const samples = new Float32Array(buf)`, `const row = view.subarray(0, 4)`;
 * - the same object under another name: `const { pixels } = frame`, `const pixels = frame.pixels`,
 *   when `[frame.pixels.buffer]` is transferred;
 * - the other way, what a transferred `const` was read from (see {@link originOf}): the view of
 *   `const buf = view.buffer`, the buffer of `const view = new Uint8Array(memory)`.
 *
 * @example
 * ```ts
 * const samples = new Float32Array(buf);
 * port.postMessage(buf, [buf]);
 * samples.length; // 0: samples was detached with buf
 * ```
 */
export function transferAliases(analysis: FileAnalysis, site: MoveSite): MoveSite[] {
  const found = new Map<TSESLint.Scope.Variable, MoveSite>();
  const transferred = analysis.sourceCode.getText(site.node);
  const how = `detached when \`${transferred}\` was ${site.how}`;
  const visit = (place: Place, depth: number): void => {
    const origin = originOf(analysis, place);
    for (const alias of origin === undefined ? aliasesOf(analysis, place) : [origin, ...aliasesOf(analysis, place)]) {
      if (alias === site.place.variable || found.has(alias)) continue;
      const aliasPlace = analysis.places.get(alias);
      found.set(alias, { node: site.node, place: aliasPlace, how, transfer: true });
      if (depth < 2) visit(aliasPlace, depth + 1);
    }
  };
  visit(site.place, 0);
  return [...found.values()];
}

/** The `const` bindings declared from `place` (or a view of it) anywhere in the file. */
function aliasesOf(analysis: FileAnalysis, place: Place): TSESLint.Scope.Variable[] {
  const aliases: TSESLint.Scope.Variable[] = [];
  const typeOf = (node: TSESTree.Node) => analysis.checker.getTypeAtLocation(analysis.services.esTreeNodeToTSNodeMap.get(node));
  for (const reference of place.variable.references) {
    if (!reference.isRead() || reference.identifier.type !== AST_NODE_TYPES.Identifier) continue;
    // The member chain the reference starts: `frame.pixels.buffer` → path ['pixels', 'buffer'].
    let top: TSESTree.Node = reference.identifier;
    const path: string[] = [];
    while (top.parent?.type === AST_NODE_TYPES.MemberExpression && top.parent.object === top && !top.parent.computed && top.parent.property.type === AST_NODE_TYPES.Identifier) {
      path.push(top.parent.property.name);
      top = top.parent;
    }
    let declared: TSESTree.Node = top;
    if (path.at(-1) === 'subarray' && top.parent?.type === AST_NODE_TYPES.CallExpression && top.parent.callee === top) {
      // `view.subarray(…)` shares the view's buffer.
      path.pop();
      declared = top.parent;
    } else if (top.parent?.type === AST_NODE_TYPES.NewExpression && top.parent.arguments[0] === top && isViewConstructor(top.parent.callee)) {
      // `new Float32Array(buf)` is a view; `new Float32Array(otherView)` is a copy.
      if (path.at(-1) !== 'buffer' && !isBuffer(typeOf(top))) continue;
      declared = top.parent;
    }
    if (path.at(-1) === 'buffer' && top.type === AST_NODE_TYPES.MemberExpression && isView(typeOf(top.object))) path.pop();
    const declarator = declared.parent;
    if (declarator?.type !== AST_NODE_TYPES.VariableDeclarator || declarator.init !== declared || declarator.parent.kind !== 'const') continue;
    if (declarator.id.type === AST_NODE_TYPES.Identifier) {
      if (samePath(path, place.path)) aliases.push(...analysis.sourceCode.getDeclaredVariables(declarator));
      continue;
    }
    if (declarator.id.type !== AST_NODE_TYPES.ObjectPattern || declared !== top) continue;
    // `const { pixels, width } = frame`: each property is `frame.<key>`.
    for (const property of declarator.id.properties) {
      if (property.type !== AST_NODE_TYPES.Property || property.computed || property.key.type !== AST_NODE_TYPES.Identifier) continue;
      const key = property.key.name;
      const value = property.value.type === AST_NODE_TYPES.AssignmentPattern ? property.value.left : property.value;
      if (value.type !== AST_NODE_TYPES.Identifier || !samePath([...path, key], place.path)) continue;
      const variable = analysis.sourceCode.getDeclaredVariables(declarator).find((candidate) => candidate.name === value.name);
      if (variable) aliases.push(variable);
    }
  }
  return aliases;
}

/**
 * The binding whose memory a `const` binding was read from, when both are `const` (so neither
 * can have been pointed elsewhere before the transfer): the view of `const buf = view.buffer`,
 * `const { buffer } = view` and `const buf = view.subarray(…).buffer`; the buffer of
 * `const view = new Uint8Array(buf)`; the view of `const row = view.subarray(…)`. A copy
 * (`view.slice()`, `new Uint8Array(otherView)`) is no origin. Only the binding itself
 * (`place.path` empty): a member may have been reassigned since.
 */
function originOf(analysis: FileAnalysis, place: Place): TSESLint.Scope.Variable | undefined {
  const definition = place.path.length === 0 && place.variable.defs.length === 1 ? place.variable.defs[0] : undefined;
  const declarator = definition?.node;
  if (declarator?.type !== AST_NODE_TYPES.VariableDeclarator || declarator.parent.kind !== 'const') return undefined;
  const typeOf = (node: TSESTree.Node) => analysis.checker.getTypeAtLocation(analysis.services.esTreeNodeToTSNodeMap.get(node));
  const init = unwrap(declarator.init ?? undefined);
  let source: TSESTree.Node | undefined;
  if (init === undefined) return undefined;
  if (declarator.id.type === AST_NODE_TYPES.ObjectPattern) {
    // `const { buffer } = view` (the property may be renamed: `{ buffer: buf }`).
    const name = place.variable.name;
    const property = declarator.id.properties.find(
      (candidate) =>
        candidate.type === AST_NODE_TYPES.Property &&
        !candidate.computed &&
        candidate.key.type === AST_NODE_TYPES.Identifier &&
        candidate.key.name === 'buffer' &&
        candidate.value.type === AST_NODE_TYPES.Identifier &&
        candidate.value.name === name,
    );
    if (property !== undefined && isView(typeOf(init))) source = init;
  } else if (init.type === AST_NODE_TYPES.MemberExpression && !init.computed && init.property.type === AST_NODE_TYPES.Identifier && init.property.name === 'buffer') {
    if (isView(typeOf(init.object))) source = init.object;
  } else if (init.type === AST_NODE_TYPES.NewExpression && isViewConstructor(init.callee) && init.arguments[0] !== undefined) {
    if (isBuffer(typeOf(init.arguments[0]))) source = init.arguments[0];
  } else if (init.type === AST_NODE_TYPES.CallExpression) {
    // `const row = view.subarray(…)`: the loop below reads the view off the call.
    source = init;
  }
  // `view.subarray(…)` shares `view`'s buffer, however many times it is taken.
  for (let call = unwrap(source); call?.type === AST_NODE_TYPES.CallExpression; call = unwrap(source)) {
    const callee = call.callee;
    if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed || callee.property.type !== AST_NODE_TYPES.Identifier || callee.property.name !== 'subarray') return undefined;
    source = callee.object;
  }
  source = unwrap(source);
  if (source?.type !== AST_NODE_TYPES.Identifier) return undefined;
  const origin = analysis.references.get(source)?.resolved ?? undefined;
  if (origin == null || origin.defs.length !== 1) return undefined;
  const originDeclarator = origin.defs[0]!.node;
  return originDeclarator.type === AST_NODE_TYPES.VariableDeclarator && originDeclarator.parent.kind === 'const' ? origin : undefined;
}

function isViewConstructor(callee: TSESTree.Node): boolean {
  return callee.type === AST_NODE_TYPES.Identifier && VIEW_CONSTRUCTORS.has(callee.name);
}

/** An ArrayBuffer (or `ArrayBufferLike`): a byte length, and no offset as a view has. */
function isBuffer(type: ts.Type): boolean {
  return type.getProperty('byteLength') !== undefined && !isView(type);
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((part, index) => part === b[index]);
}
