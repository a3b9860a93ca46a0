/**
 * The names a closure's source uses without declaring them: parsed with acorn, then resolved
 * through the closure's own scopes (parameters, `var`/`let`/`const`, functions, classes, catch
 * parameters, `arguments`). What is left must exist in the worker, or the closure would fail
 * there with a ReferenceError.
 */
import { parse } from 'acorn';

interface Node {
  readonly type: string;
  readonly start: number;
  readonly [key: string]: unknown;
}

/** One use of a name the closure does not declare. */
export interface FreeName {
  readonly name: string;
  /** For `x.y` (and `(0, x.y)`), the property read from it, when not computed. */
  readonly property: string | undefined;
  /** Offset in the closure's source. */
  readonly offset: number;
  /** The reference is the callee of a call: `x()`. */
  readonly called: boolean;
  /** `typeof x`: legal for a name that does not exist. */
  readonly typeofOnly: boolean;
}

class Scope {
  readonly names = new Set<string>();
  constructor(
    readonly parent: Scope | undefined,
    readonly isFunction: boolean,
  ) {}
  has(name: string): boolean {
    return this.names.has(name) || (this.parent?.has(name) ?? false);
  }
  functionScope(): Scope {
    return this.isFunction || this.parent === undefined ? this : this.parent.functionScope();
  }
}

/** Throws acorn's SyntaxError when `source` is not an expression. */
export function freeNames(source: string): FreeName[] {
  // Parenthesised, as the worker compiles it; `(` takes one character, so offsets are shifted by one.
  // As a module: strict, as the worker compiles it, and `import.meta` parses (to be reported).
  const program = parse(`(${source})`, { ecmaVersion: 'latest', sourceType: 'module' }) as unknown as Node;
  const scopes = new Map<Node, Scope>();
  const found: FreeName[] = [];
  const root = new Scope(undefined, true);
  // Two walks: the first records every declaration (declarations are hoisted, a use may come
  // before them), the second resolves every use against the complete scopes.
  walk(program, root, scopes, undefined);
  walk(program, root, scopes, (node, parent, scope, grand) => {
    const name = node['name'] as string;
    if (scope.has(name)) return;
    const member = parent?.type === 'MemberExpression' && parent['object'] === node && parent['computed'] !== true ? parent : undefined;
    const property = member === undefined ? undefined : ((member['property'] as Node)['name'] as string);
    const callee = member ?? node;
    const holder = member === undefined ? parent : grand;
    found.push({
      name,
      property,
      offset: node.start - 1,
      called: holder?.type === 'CallExpression' && holder['callee'] === callee,
      typeofOnly: parent?.type === 'UnaryExpression' && parent['operator'] === 'typeof',
    });
  });
  return found;
}

type OnReference = (node: Node, parent: Node | undefined, scope: Scope, grand: Node | undefined) => void;

function scopeFor(node: Node, parent: Scope, scopes: Map<Node, Scope>, isFunction: boolean): Scope {
  let scope = scopes.get(node);
  if (scope === undefined) {
    scope = new Scope(parent, isFunction);
    scopes.set(node, scope);
  }
  return scope;
}

/** Declares the names bound by a pattern; visits the expressions inside it (defaults, computed keys). */
function declarePattern(pattern: Node, target: Scope, scope: Scope, scopes: Map<Node, Scope>, onReference: OnReference | undefined): void {
  switch (pattern.type) {
    case 'Identifier':
      target.names.add(pattern['name'] as string);
      return;
    case 'ObjectPattern':
      for (const property of pattern['properties'] as Node[]) {
        if (property.type === 'RestElement') declarePattern(property['argument'] as Node, target, scope, scopes, onReference);
        else {
          if (property['computed'] === true) walk(property['key'] as Node, scope, scopes, onReference);
          declarePattern(property['value'] as Node, target, scope, scopes, onReference);
        }
      }
      return;
    case 'ArrayPattern':
      for (const element of pattern['elements'] as Array<Node | null>) if (element !== null) declarePattern(element, target, scope, scopes, onReference);
      return;
    case 'RestElement':
      declarePattern(pattern['argument'] as Node, target, scope, scopes, onReference);
      return;
    case 'AssignmentPattern':
      declarePattern(pattern['left'] as Node, target, scope, scopes, onReference);
      walk(pattern['right'] as Node, scope, scopes, onReference);
      return;
    default:
      // A member expression as an assignment target (`[a.b] = …`): a use, not a declaration.
      walk(pattern, scope, scopes, onReference);
  }
}

function walkFunction(node: Node, scope: Scope, scopes: Map<Node, Scope>, onReference: OnReference | undefined): void {
  const inner = scopeFor(node, scope, scopes, true);
  const id = node['id'] as Node | null;
  // A function expression's own name is visible inside it; a declaration's is declared where it stands.
  if (id !== null && node.type === 'FunctionExpression') inner.names.add(id['name'] as string);
  if (node.type !== 'ArrowFunctionExpression') inner.names.add('arguments');
  for (const param of node['params'] as Node[]) declarePattern(param, inner, inner, scopes, onReference);
  const body = node['body'] as Node;
  // The body block shares the function's scope (a `let` there may not shadow a parameter anyway).
  if (body.type === 'BlockStatement') walkChildren(body, inner, scopes, onReference);
  else walk(body, inner, scopes, onReference);
}

function walk(node: Node, scope: Scope, scopes: Map<Node, Scope>, onReference: OnReference | undefined, parent?: Node, grand?: Node): void {
  switch (node.type) {
    case 'Identifier':
      onReference?.(node, parent, scope, grand);
      return;
    case 'FunctionDeclaration':
      scope.names.add((node['id'] as Node)['name'] as string);
      walkFunction(node, scope, scopes, onReference);
      return;
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      walkFunction(node, scope, scopes, onReference);
      return;
    case 'ClassDeclaration':
    case 'ClassExpression': {
      const id = node['id'] as Node | null;
      const inner = scopeFor(node, scope, scopes, false);
      if (id !== null) {
        if (node.type === 'ClassDeclaration') scope.names.add(id['name'] as string);
        inner.names.add(id['name'] as string);
      }
      const superClass = node['superClass'] as Node | null;
      if (superClass !== null) walk(superClass, scope, scopes, onReference, node);
      walk(node['body'] as Node, inner, scopes, onReference, node);
      return;
    }
    case 'VariableDeclaration': {
      const target = node['kind'] === 'var' ? scope.functionScope() : scope;
      for (const declarator of node['declarations'] as Node[]) {
        declarePattern(declarator['id'] as Node, target, scope, scopes, onReference);
        const init = declarator['init'] as Node | null;
        if (init !== null) walk(init, scope, scopes, onReference, declarator);
      }
      return;
    }
    case 'BlockStatement':
    case 'StaticBlock':
    case 'ForStatement':
    case 'ForInStatement':
    case 'ForOfStatement':
    case 'SwitchStatement':
      walkChildren(node, scopeFor(node, scope, scopes, node.type === 'StaticBlock'), scopes, onReference);
      return;
    case 'CatchClause': {
      const inner = scopeFor(node, scope, scopes, false);
      const param = node['param'] as Node | null;
      if (param !== null) declarePattern(param, inner, inner, scopes, onReference);
      walkChildren(node['body'] as Node, inner, scopes, onReference);
      return;
    }
    case 'MemberExpression':
      walk(node['object'] as Node, scope, scopes, onReference, node, parent);
      if (node['computed'] === true) walk(node['property'] as Node, scope, scopes, onReference, node);
      return;
    case 'Property':
    case 'PropertyDefinition':
    case 'MethodDefinition':
      if (node['computed'] === true) walk(node['key'] as Node, scope, scopes, onReference, node);
      if (node['value'] !== null && node['value'] !== undefined) walk(node['value'] as Node, scope, scopes, onReference, node);
      return;
    case 'LabeledStatement':
      walk(node['body'] as Node, scope, scopes, onReference, node);
      return;
    case 'MetaProperty':
      // `import.meta` has no meaning in a function compiled from text: reported like a free name.
      if ((node['meta'] as Node)['name'] === 'import') onReference?.({ type: 'Identifier', name: 'import.meta', start: node.start }, parent, scope, grand);
      return;
    case 'BreakStatement':
    case 'ContinueStatement':
    case 'PrivateIdentifier':
    case 'Literal':
    case 'ThisExpression':
    case 'Super':
      return;
    case 'AssignmentExpression':
      if ((node['left'] as Node).type !== 'Identifier' && (node['left'] as Node).type !== 'MemberExpression') {
        declarePattern(node['left'] as Node, new Scope(undefined, false), scope, scopes, onReference);
        // The names a destructuring assignment writes are uses of existing bindings.
        collectPatternTargets(node['left'] as Node, (target) => onReference?.(target, node, scope, parent));
      } else walk(node['left'] as Node, scope, scopes, onReference, node, parent);
      walk(node['right'] as Node, scope, scopes, onReference, node, parent);
      return;
    default:
      walkChildren(node, scope, scopes, onReference, parent);
  }
}

function collectPatternTargets(pattern: Node, each: (identifier: Node) => void): void {
  if (pattern.type === 'Identifier') each(pattern);
  else if (pattern.type === 'ObjectPattern') {
    for (const property of pattern['properties'] as Node[]) collectPatternTargets((property.type === 'RestElement' ? property['argument'] : property['value']) as Node, each);
  } else if (pattern.type === 'ArrayPattern') {
    for (const element of pattern['elements'] as Array<Node | null>) if (element !== null) collectPatternTargets(element, each);
  } else if (pattern.type === 'RestElement') collectPatternTargets(pattern['argument'] as Node, each);
  else if (pattern.type === 'AssignmentPattern') collectPatternTargets(pattern['left'] as Node, each);
}

function walkChildren(node: Node, scope: Scope, scopes: Map<Node, Scope>, onReference: OnReference | undefined, parent?: Node): void {
  for (const key of Object.keys(node)) {
    if (key === 'type' || key === 'start' || key === 'end' || key === 'loc' || key === 'range') continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const child of value as unknown[]) if (isNode(child)) walk(child, scope, scopes, onReference, node, parent);
    } else if (isNode(value)) walk(value, scope, scopes, onReference, node, parent);
  }
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
