import { AST_NODE_TYPES } from '@typescript-eslint/utils';
import type { ParserServicesWithTypeInformation, TSESLint, TSESTree } from '@typescript-eslint/utils';
import ts from 'typescript';
import { isCopyType, isSharedHandle } from './fearless-module.js';
import type { FearlessModule } from './fearless-module.js';
import { PlaceTable } from './places.js';
import { isView, memberChain, transferSites, unwrap } from './transfers.js';
import type { FileSites, GuardSite, MoveSite, SpawnSite } from './sites.js';

interface Inputs {
  readonly sourceCode: Readonly<TSESLint.SourceCode>;
  readonly services: ParserServicesWithTypeInformation;
  readonly checker: ts.TypeChecker;
  readonly fearless: FearlessModule;
  readonly references: ReadonlyMap<TSESTree.Identifier, TSESLint.Scope.Reference>;
}

const SENDERS: ReadonlySet<string> = new Set(['Sender', 'SyncSender']);
const SEND_METHODS: ReadonlySet<string> = new Set(['send', 'sendSync', 'trySend']);
const THREAD_POOL: ReadonlySet<string> = new Set(['ThreadPool']);
const LOCKS: ReadonlySet<string> = new Set(['Mutex', 'RwLock']);
const GUARD_METHODS: ReadonlySet<string> = new Set([
  'lock', 'lockSync', 'tryLock', 'tryLockFor', 'tryLockForSync', 'read', 'readSync', 'tryRead', 'write', 'writeSync', 'tryWrite',
]);
/** These return a Promise of the guard (`tryLockFor` of `MutexGuard | undefined`); the others the guard itself. */
const ASYNC_GUARD_METHODS: ReadonlySet<string> = new Set(['lock', 'tryLockFor', 'read', 'write']);
const CONDVAR: ReadonlySet<string> = new Set(['Condvar']);
/** Condvar waits: each releases the guard's lock while it waits. */
const CONDVAR_WAITS: ReadonlySet<string> = new Set(['wait', 'waitSync', 'waitTimeout', 'waitTimeoutSync']);
/** `scope(async (s) => …)`'s `s`: its `spawn` runs a closure on another thread, joined by the scope. */
const SCOPE: ReadonlySet<string> = new Set(['Scope']);
const OWNING_CONSTRUCTORS: ReadonlySet<string> = new Set(['Mutex', 'RwLock', 'Arc']);
/**
 * Walks the file once and classifies every call the rules care about. Cheap syntactic tests
 * (the callee's name) come first; the checker is asked only about calls that pass them, plus
 * calls whose parameters may be declared `Owned<T>`.
 *
 * @example
 * ```ts
 * tx.send(job);            // moves: job — "sent with `tx.send()`"
 * spawn(() => work(data)); // spawns: closure `() => work(data)`
 * const g = await m.lock(); // guards: `m.lock()` on a Mutex
 * ```
 */
export function collectSites(inputs: Inputs): FileSites {
  const { sourceCode, services, checker, fearless, references } = inputs;
  const moves = new Map<TSESTree.Node, MoveSite[]>();
  const spawns: SpawnSite[] = [];
  const guards: GuardSite[] = [];
  const condvarWaits = new Set<TSESTree.CallExpression>();
  const places = new PlaceTable();
  const ownedAvailable = fearless.available && fearless.isExportName('Owned') && programMentionsOwned(services.program, fearless);

  const tsNode = (node: TSESTree.Node): ts.Node => services.esTreeNodeToTSNodeMap.get(node);
  const typeOf = (node: TSESTree.Node): ts.Type => checker.getTypeAtLocation(tsNode(node));
  const exportName = (node: TSESTree.Node): string | undefined =>
    fearless.available ? fearless.nameOf(checker.getSymbolAtLocation(tsNode(node))) : undefined;
  const text = (node: TSESTree.Node): string => {
    const raw = sourceCode.getText(node);
    return raw.length > 40 ? `${raw.slice(0, 37)}…` : raw;
  };
  const isGlobal = (identifier: TSESTree.Identifier): boolean => {
    const variable = references.get(identifier)?.resolved;
    return variable == null || variable.defs.length === 0;
  };

  /**
   * What a moved value is made of: `x`, and the parts of `{ x, y: z }` and `[x, y]`. In a
   * transfer list also a member (`msg.data`), and the view whose buffer is listed
   * (`[view.buffer]` detaches `view`: its length becomes 0).
   */
  const movedParts = (node: TSESTree.Node | undefined, transfer: boolean, depth = 0): Array<{ root: TSESTree.Identifier; path: string[]; node: TSESTree.Node }> => {
    const value = unwrap(node);
    if (value === undefined) return [];
    if (value.type === AST_NODE_TYPES.Identifier) return [{ root: value, path: [], node: value }];
    if (transfer && value.type === AST_NODE_TYPES.MemberExpression) {
      const chain = memberChain(value);
      if (chain === undefined) return [];
      const path = [...chain.path];
      if (path.at(-1) === 'buffer' && isView(typeOf(value.object))) path.pop();
      return [{ root: chain.root, path, node: value }];
    }
    if (depth > 2) return [];
    if (value.type === AST_NODE_TYPES.ArrayExpression) {
      return value.elements.flatMap((element) => (element === null || element.type === AST_NODE_TYPES.SpreadElement ? [] : movedParts(element, transfer, depth + 1)));
    }
    if (value.type === AST_NODE_TYPES.ObjectExpression) {
      return value.properties.flatMap((property) => (property.type === AST_NODE_TYPES.Property ? movedParts(property.value, transfer, depth + 1) : []));
    }
    return [];
  };

  /** Records a move of each binding (or transferred member) in `value`, except copies and shared (Sync) handles. */
  const addMoves = (site: TSESTree.Node, value: TSESTree.Node | undefined, how: string, transfer = false): void => {
    for (const part of movedParts(value, transfer)) {
      if (isGlobal(part.root)) continue;
      const variable = references.get(part.root)?.resolved;
      if (variable == null) continue;
      const type = typeOf(part.node);
      if (isCopyType(type)) continue;
      if (!transfer && fearless.available && isSharedHandle(fearless, type)) continue;
      const list = moves.get(site) ?? [];
      list.push({ node: part.node, place: places.get(variable, part.path), how, transfer });
      moves.set(site, list);
    }
  };

  const { addTransfers, isPlatformPostMessage } = transferSites({ references, checker, typeOf, tsNode, isGlobal, addMoves });

  const addSpawn = (call: TSESTree.CallExpression, kind: SpawnSite['kind'], calleeText: string): void => {
    const last = call.arguments.at(-1);
    let closure: TSESTree.FunctionLike | undefined;
    let inline = false;
    if (last?.type === AST_NODE_TYPES.ArrowFunctionExpression || last?.type === AST_NODE_TYPES.FunctionExpression) {
      closure = last;
      inline = true;
    } else if (last?.type === AST_NODE_TYPES.Identifier) {
      closure = namedFunction(references.get(last)?.resolved ?? null);
    }
    // A function passed by reference that this file does not declare: an import (`sha`, `lib.sha`).
    const reference = closure === undefined && (last?.type === AST_NODE_TYPES.Identifier || last?.type === AST_NODE_TYPES.MemberExpression) ? last : undefined;
    // `spawn(move(a), fn)`, and `pool.map(move(...context), items, fn)`.
    const first = call.arguments[0];
    const movedArity = kind === 'pool.map' ? 3 : 2;
    const moved = call.arguments.length === movedArity && first?.type === AST_NODE_TYPES.CallExpression && exportName(first.callee) === 'move' ? first : undefined;
    spawns.push({ call, calleeText, closure, inline, reference, moved, returnsJoinHandle: kind !== 'pool.map', kind });
  };

  /** Arguments of parameters declared `Owned<T>` (how user APIs say they take ownership). */
  const addOwnedMoves = (call: TSESTree.CallExpression | TSESTree.NewExpression): void => {
    if (!call.arguments.some((argument) => movedParts(argument, false).length > 0)) return;
    const signature = checker.getResolvedSignature(tsNode(call) as ts.CallLikeExpression);
    const declaration = signature?.getDeclaration();
    // An implicit constructor, or a JSDoc signature, has no parameter list to read.
    if (declaration === undefined || ts.isJSDocSignature(declaration) || !('parameters' in declaration)) return;
    declaration.parameters.forEach((parameter, index) => {
      // `job: Owned<Job>`, or a rest parameter `...jobs: Owned<Job>[]` (each element owned).
      const annotation = parameter.dotDotDotToken && parameter.type && ts.isArrayTypeNode(parameter.type)
        ? parameter.type.elementType
        : parameter.type;
      if (annotation === undefined || !ts.isTypeReferenceNode(annotation)) return;
      if (!fearless.isExport(checker.getSymbolAtLocation(annotation.typeName), 'Owned')) return;
      const how = `passed to \`${text(call.callee)}()\` as \`${annotation.getText()}\``;
      const moved = parameter.dotDotDotToken ? call.arguments.slice(index) : [call.arguments[index]];
      for (const argument of moved) addMoves(call, argument, how);
    });
  };

  const visitCall = (call: TSESTree.CallExpression): void => {
    const callee = call.callee;
    if (callee.type === AST_NODE_TYPES.Identifier) {
      if (callee.name === 'structuredClone' && isGlobal(callee)) return addTransfers(call, 'transferred by `structuredClone()`');
      if (callee.name === 'postMessage' && isGlobal(callee)) return addTransfers(call, 'transferred by `postMessage()`');
      const name = exportName(callee);
      if (name === 'spawn') return addSpawn(call, 'spawn', `${callee.name}()`);
      if (name === 'move') {
        for (const argument of call.arguments) addMoves(call, argument, `moved with \`${callee.name}()\``);
        return;
      }
    } else if (callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier) {
      const method = callee.property.name;
      const calleeText = `${text(callee)}()`;
      if (method === 'postMessage') {
        if (isPlatformPostMessage(callee)) return addTransfers(call, `transferred by \`${calleeText}\``);
      } else if (fearless.available) {
        if (SEND_METHODS.has(method) && fearless.classOf(typeOf(callee.object), SENDERS)) {
          // `trySend` moves only when it returns true (a full channel leaves the value here), so
          // it counts as a move only when its result is ignored; `if (!tx.trySend(x)) retry(x)`
          // is the intended way to use it.
          if (method === 'trySend' && call.parent.type !== AST_NODE_TYPES.ExpressionStatement) return;
          return addMoves(call, call.arguments[0], `sent with \`${calleeText}\``);
        }
        if (method === 'spawn' || method === 'map' || method === 'move') {
          const name = exportName(callee.property);
          if (name === 'spawn') return addSpawn(call, 'spawn', calleeText);
          if (name === 'move') {
            for (const argument of call.arguments) addMoves(call, argument, `moved with \`${calleeText}\``);
            return;
          }
          if (method !== 'move') {
            const owner = typeOf(callee.object);
            if (fearless.classOf(owner, THREAD_POOL)) return addSpawn(call, method === 'map' ? 'pool.map' : 'pool.spawn', calleeText);
            if (method === 'spawn' && fearless.classOf(owner, SCOPE)) return addSpawn(call, 'scope.spawn', calleeText);
          }
        }
        if (GUARD_METHODS.has(method)) {
          const lock = fearless.classOf(typeOf(callee.object), LOCKS);
          if (lock === 'Mutex' || lock === 'RwLock') return void guards.push({ call, calleeText, lockKind: lock, async: ASYNC_GUARD_METHODS.has(method) });
        }
        if (CONDVAR_WAITS.has(method) && fearless.classOf(typeOf(callee.object), CONDVAR)) {
          return void condvarWaits.add(call);
        }
      }
    }
    if (ownedAvailable) addOwnedMoves(call);
  };

  const visitNew = (node: TSESTree.NewExpression): void => {
    const name = exportName(node.callee.type === AST_NODE_TYPES.MemberExpression ? node.callee.property : node.callee);
    if (name !== undefined && OWNING_CONSTRUCTORS.has(name)) {
      return addMoves(node, node.arguments[0], `moved into \`new ${name}()\``);
    }
    if (ownedAvailable) addOwnedMoves(node);
  };

  walk(sourceCode, (node) => {
    if (node.type === AST_NODE_TYPES.CallExpression) visitCall(node);
    else if (node.type === AST_NODE_TYPES.NewExpression) visitNew(node);
  });
  return { moves, spawns, guards, condvarWaits, places };
}

// Per program (an editor makes a new one per edit): does any file besides fearless's own import
// `Owned`? Most projects never declare an Owned<T> parameter, and then no call needs its
// signature resolved for it.
const ownedMentions = new WeakMap<ts.Program, boolean>();

function programMentionsOwned(program: ts.Program, fearless: FearlessModule): boolean {
  let mentions = ownedMentions.get(program);
  if (mentions === undefined) {
    mentions = program
      .getSourceFiles()
      .some(
        (file) =>
          !fearless.ownsFile(file) &&
          !program.isSourceFileDefaultLibrary(file) &&
          file.text.includes('Owned') &&
          // Owned comes from fearless: a file that uses it imports (or re-exports) the package.
          /['"]fearless['"]/.test(file.text),
      );
    ownedMentions.set(program, mentions);
  }
  return mentions;
}

/** The function a binding names, when it is declared in this file as one (`function f`, `const f = () =>`). */
function namedFunction(variable: TSESLint.Scope.Variable | null): TSESTree.FunctionLike | undefined {
  const definition = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (definition === undefined) return undefined;
  if (definition.node.type === AST_NODE_TYPES.FunctionDeclaration) return definition.node;
  if (definition.node.type === AST_NODE_TYPES.VariableDeclarator) {
    const init = definition.node.init;
    if (init?.type === AST_NODE_TYPES.ArrowFunctionExpression || init?.type === AST_NODE_TYPES.FunctionExpression) return init;
  }
  return undefined;
}

/** Pre-order walk over every node, children in source order. */
function walk(sourceCode: Readonly<TSESLint.SourceCode>, visit: (node: TSESTree.Node) => void): void {
  const keys = sourceCode.visitorKeys as Record<string, readonly string[] | undefined>;
  const stack: TSESTree.Node[] = [sourceCode.ast];
  while (stack.length > 0) {
    const node = stack.pop()!;
    visit(node);
    const children: TSESTree.Node[] = [];
    for (const key of keys[node.type] ?? []) {
      const value = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value)) {
        for (const child of value) if (isNode(child)) children.push(child);
      } else if (isNode(value)) {
        children.push(value);
      }
    }
    for (let index = children.length - 1; index >= 0; index--) stack.push(children[index]!);
  }
}

function isNode(value: unknown): value is TSESTree.Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
