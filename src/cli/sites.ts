/**
 * The places where a program hands a value to another thread: calls and constructions of the
 * fearless API, recognised through the type checker (the callee must be declared by the
 * `fearless` package, so a user's own `send()` is never one).
 */
import { ts } from 'ts-morph';
import type { FearlessPackage } from './fearless-package.js';
import type { TypeReader } from './verdict.js';

export type SiteKind = 'spawn-result' | 'move' | 'send' | 'channel' | 'mutex' | 'rwlock' | 'arc' | 'pool-map-item';

export interface Site {
  readonly kind: SiteKind;
  /** What to underline. */
  readonly node: ts.Node;
  /** The type of the value that crosses. */
  readonly type: ts.Type;
}

/** Why each kind of site needs Send, printed as a note under the diagnostic. */
export const siteNotes: Readonly<Record<SiteKind, string>> = {
  'spawn-result': "a thread's result is moved back to the thread that joins it",
  move: 'a value passed with `move(...)` is moved into the new thread',
  send: 'a value sent on a channel is moved to the receiving thread',
  channel: 'every value of a channel crosses to the receiving thread',
  mutex: "a Mutex's value is reached from every thread the Mutex is moved to",
  rwlock: "an RwLock's value is reached from every thread the RwLock is moved to",
  arc: "an Arc's value is read from every thread the Arc is moved to",
  'pool-map-item': 'each item of `pool.map` is moved to a pool thread',
};

const sendMethods: ReadonlySet<string> = new Set(['send', 'sendSync', 'trySend']);
const callNames: ReadonlySet<string> = new Set(['spawn', 'move', 'map', 'channel', 'syncChannel', ...sendMethods]);
const constructors: ReadonlyMap<string, SiteKind> = new Map([
  ['Mutex', 'mutex'],
  ['RwLock', 'rwlock'],
  ['Arc', 'arc'],
] as const);
const constructorNames: ReadonlySet<string> = new Set(constructors.keys());

export class SiteFinder {
  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly fearless: FearlessPackage,
    private readonly reader: TypeReader,
  ) {}

  find(sourceFile: ts.SourceFile): Site[] {
    const sites: Site[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) this.call(node, sites);
      else if (ts.isNewExpression(node)) this.construction(node, sites);
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
    return sites;
  }

  /** The callee's name node, when the syntax can be a call of ours at all (a cheap filter). */
  private calleeName(expression: ts.Expression): ts.Identifier | undefined {
    if (ts.isIdentifier(expression)) return expression;
    if (ts.isPropertyAccessExpression(expression) && ts.isIdentifier(expression.name)) return expression.name;
    return undefined;
  }

  /** The declaration of ours that `name` refers to, with the class or interface that holds it. */
  private apiDeclaration(name: ts.Identifier): { container: string | undefined } | undefined {
    const symbol = this.fearless.resolve(this.checker.getSymbolAtLocation(name));
    const declaration = symbol?.declarations?.find((candidate) => this.fearless.isApiFile(candidate.getSourceFile().fileName));
    if (declaration === undefined) return undefined;
    const parent = declaration.parent;
    const container =
      (ts.isClassLike(parent) || ts.isInterfaceDeclaration(parent)) && parent.name !== undefined ? parent.name.text : undefined;
    return { container };
  }

  /**
   * The API name a call or `new` refers to. A plain identifier is resolved through its import,
   * so `import { spawn as go }` still makes `go(...)` a spawn; a method is taken by its name
   * first, since resolving `a.b` needs `a`'s type and most calls are not ours.
   */
  private apiName(expression: ts.Expression, candidates: ReadonlySet<string>): { name: string; container: string | undefined } | undefined {
    const node = this.calleeName(expression);
    if (node === undefined) return undefined;
    if (node === expression) {
      const symbol = this.checker.getSymbolAtLocation(node);
      if (symbol === undefined || (symbol.flags & ts.SymbolFlags.Alias) === 0) return undefined;
      // The public name it was imported by, else the declaration's own (a re-export may rename).
      const specifier = symbol.declarations?.[0];
      const imported = specifier !== undefined && ts.isImportSpecifier(specifier) ? (specifier.propertyName ?? specifier.name).text : undefined;
      const name = imported !== undefined && candidates.has(imported) ? imported : this.fearless.resolve(symbol)?.name;
      if (name === undefined || !candidates.has(name)) return undefined;
      const declaration = this.apiDeclaration(node);
      return declaration === undefined ? undefined : { name, container: declaration.container };
    }
    if (!candidates.has(node.text)) return undefined;
    const declaration = this.apiDeclaration(node);
    return declaration === undefined ? undefined : { name: node.text, container: declaration.container };
  }

  private call(call: ts.CallExpression, sites: Site[]): void {
    const declaration = this.apiName(call.expression, callNames);
    if (declaration === undefined) return;
    const text = declaration.name;
    const { container } = declaration;
    const args = call.arguments;
    if (text === 'move' && container === undefined) {
      for (const arg of args) {
        if (!ts.isSpreadElement(arg)) sites.push({ kind: 'move', node: arg, type: this.checker.getTypeAtLocation(arg) });
      }
    } else if (text === 'spawn') {
      this.result(args[args.length - 1], sites);
    } else if (text === 'map' && container === 'ThreadPool') {
      const items = args[0];
      const element = items === undefined ? undefined : this.elementType(this.checker.getTypeAtLocation(items));
      if (items !== undefined && element !== undefined) sites.push({ kind: 'pool-map-item', node: items, type: element });
      this.result(args[1], sites);
    } else if (sendMethods.has(text) && container?.endsWith('Sender') === true) {
      const value = args[0];
      if (value !== undefined) sites.push({ kind: 'send', node: value, type: this.checker.getTypeAtLocation(value) });
    } else if ((text === 'channel' || text === 'syncChannel') && container === undefined) {
      this.channel(call, sites);
    }
  }

  /** A thread's closure: what it returns (awaited) crosses back. */
  private result(fn: ts.Expression | undefined, sites: Site[]): void {
    if (fn === undefined) return;
    const signature = this.checker.getTypeAtLocation(fn).getCallSignatures()[0];
    if (signature === undefined) return;
    const returned = signature.getReturnType();
    const type = this.checker.getAwaitedType(returned) ?? returned;
    sites.push({ kind: 'spawn-result', node: returnedExpression(fn) ?? fn, type });
  }

  /** `channel<T>()`: T as written, or as inferred from where the pair goes. */
  private channel(call: ts.CallExpression, sites: Site[]): void {
    const written = call.typeArguments?.[0];
    if (written !== undefined) {
      sites.push({ kind: 'channel', node: written, type: this.checker.getTypeFromTypeNode(written) });
      return;
    }
    const signature = this.checker.getResolvedSignature(call);
    const pair = signature === undefined ? undefined : this.checker.getReturnTypeOfSignature(signature);
    const sender = pair === undefined ? undefined : this.reader.typeArguments(pair)[0];
    const message = sender === undefined ? undefined : this.reader.typeArguments(sender)[0];
    if (message !== undefined) sites.push({ kind: 'channel', node: call, type: message });
  }

  private construction(construction: ts.NewExpression, sites: Site[]): void {
    const declaration = this.apiName(construction.expression, constructorNames);
    const kind = declaration === undefined ? undefined : constructors.get(declaration.name);
    if (kind === undefined) return;
    // A written type argument is the held type (later values stored through a guard have it
    // too); otherwise the value's own type. The inferred argument is no use: when the value is
    // not Send, the real package's `Value extends Send<Value>` bound makes inference fall back.
    const written = construction.typeArguments?.[0];
    const value = construction.arguments?.[0];
    const type =
      written !== undefined
        ? this.checker.getTypeFromTypeNode(written)
        : value === undefined
          ? undefined
          : this.checker.getTypeAtLocation(value);
    if (type !== undefined) sites.push({ kind, node: value ?? construction, type });
  }

  private elementType(type: ts.Type): ts.Type | undefined {
    return this.checker.isArrayType(type) ? this.reader.typeArguments(type)[0] : type.getNumberIndexType();
  }
}

/**
 * What to underline for a closure's result: its expression body, or the expression of its only
 * `return` (with several, the result is their union and no one of them is the culprit).
 */
function returnedExpression(fn: ts.Expression): ts.Expression | undefined {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  if (!ts.isBlock(fn.body)) return fn.body;
  const returned: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isReturnStatement(node) && node.expression !== undefined) returned.push(node.expression);
    // A nested function's returns are its own.
    if (!ts.isFunctionLike(node)) ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn.body, visit);
  return returned.length === 1 ? returned[0] : undefined;
}
