import path from 'node:path';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../create-rule.js';
import { getFileAnalysis } from '../analysis/file-analysis.js';
import type { FileAnalysis } from '../analysis/file-analysis.js';
import { closureCaptures } from '../analysis/captures.js';
import type { Capture } from '../analysis/captures.js';
import { notSendPart } from '../analysis/not-send.js';
import { referenceCaptures, referencedFunction } from '../analysis/reference-captures.js';
import type { SpawnSite } from '../analysis/sites.js';

type MessageIds =
  | 'capture'
  | 'captureNotSend'
  | 'captureImport'
  | 'captureRenamedImport'
  | 'captureNamespaceImport'
  | 'captureWrite'
  | 'captureThis'
  | 'referenceCapture'
  | 'referenceCaptureNotSend'
  | 'referenceCaptureImport'
  | 'moveIntoThread';

export default createRule<[], MessageIds>({
  name: 'no-spawn-capture',
  meta: {
    type: 'problem',
    hasSuggestions: true,
    docs: {
      description: 'Disallow closures passed to spawn, pool.spawn and pool.map from capturing outer bindings',
      recommended: true,
      requiresTypeChecking: true,
    },
    schema: [],
    messages: {
      capture:
        '`{{name}}` is captured by the closure passed to `{{callee}}`, which runs on another thread where `{{name}}` does not exist. Pass it with `move({{name}})` and take it as a parameter.',
      captureNotSend:
        '`{{name}}` is captured by the closure passed to `{{callee}}`, which runs on another thread where `{{name}}` does not exist, and it cannot be moved there either: at `{{path}}`, {{reason}}.',
      captureImport:
        "`{{name}}` is imported by this module; the closure passed to `{{callee}}` runs on another thread where the import does not exist. Import it inside the closure: `await import('{{source}}')`.",
      captureRenamedImport:
        "`{{name}}` is fearless's `{{imported}}` imported under another name; inside the closure passed to `{{callee}}` fearless's exports exist only under their own names. Import it as `{{imported}}`.",
      captureNamespaceImport:
        "`{{name}}` is a namespace import of fearless; inside the closure passed to `{{callee}}` fearless's exports exist only under their own names. Import what the closure uses by name (`import { … } from 'fearless'`).",
      captureWrite:
        '`{{name}}` is assigned inside the closure passed to `{{callee}}`, which runs on another thread: the write will be lost. Return the value from the closure and read it from `join()`.',
      captureThis:
        '`this` in the arrow function passed to `{{callee}}` is the `this` of the code around it, which does not exist on the other thread. Pass the values it needs with `move(...)` and take them as parameters.',
      referenceCapture:
        '`{{fn}}`, passed to `{{callee}}` by reference, uses `{{name}}` from its module ({{file}}:{{line}}), which does not exist on the other thread. Pass `{{name}}` with `move({{name}})` and take it as a parameter.',
      referenceCaptureNotSend:
        '`{{fn}}`, passed to `{{callee}}` by reference, uses `{{name}}` from its module ({{file}}:{{line}}), which does not exist on the other thread, and it cannot be moved there either: at `{{path}}`, {{reason}}.',
      referenceCaptureImport:
        "`{{fn}}`, passed to `{{callee}}` by reference, uses `{{name}}`, which its module ({{file}}:{{line}}) imports from '{{source}}'; the import does not exist on the other thread. Import it inside the function: `await import('{{source}}')`.",
      moveIntoThread: 'Move `{{name}}` into the thread with `move({{name}})` and take it as a parameter.',
    },
  },
  defaultOptions: [],
  create(context) {
    const analysis = getFileAnalysis(context);
    if (analysis === null || analysis.spawns.length === 0) return {};
    return {
      'Program:exit'() {
        for (const site of analysis.spawns) {
          if (site.reference !== undefined) reportReference(context, analysis, site, site.reference);
          if (site.closure === undefined) continue;
          const self = site.closure.type === AST_NODE_TYPES.ArrowFunctionExpression ? arrowThis(site.closure.body) : undefined;
          if (self !== undefined) context.report({ node: self, messageId: 'captureThis', data: { callee: site.calleeText } });
          for (const capture of closureCaptures(analysis, site.closure)) report(context, analysis, site, capture);
        }
      },
    };
  },
});

type Context = Readonly<TSESLint.RuleContext<MessageIds, []>>;

/**
 * The first `this` (or `super`) an arrow function takes from the code around it: not looking
 * into nested functions and classes, which have their own.
 */
function arrowThis(node: TSESTree.Node): TSESTree.Node | undefined {
  if (node.type === AST_NODE_TYPES.ThisExpression || node.type === AST_NODE_TYPES.Super) return node;
  if (node.type === AST_NODE_TYPES.FunctionExpression || node.type === AST_NODE_TYPES.FunctionDeclaration || node.type === AST_NODE_TYPES.ClassBody) return undefined;
  for (const key of Object.keys(node)) {
    if (key === 'parent') continue;
    const child = (node as unknown as Record<string, unknown>)[key];
    for (const item of Array.isArray(child) ? (child as unknown[]) : [child]) {
      if (typeof item === 'object' && item !== null && typeof (item as { type?: unknown }).type === 'string') {
        const found = arrowThis(item as TSESTree.Node);
        if (found) return found;
      }
    }
  }
  return undefined;
}

/**
 * A function passed by reference from another module (`spawn(move(text), sha)` with `sha`
 * imported): what it uses from its own module is missing in the worker just the same. Reported
 * on the argument, since the capture is in another file; the message says where.
 */
function reportReference(context: Context, analysis: FileAnalysis, site: SpawnSite, argument: TSESTree.Node): void {
  const { checker, services } = analysis;
  const tsArgument = services.esTreeNodeToTSNodeMap.get(argument);
  const here = tsArgument.getSourceFile();
  const fn = referencedFunction(checker, tsArgument, here);
  if (fn === undefined) return;
  // The module's path as seen from the file being linted, as an import would spell it.
  const file = path.relative(path.dirname(here.fileName), fn.file.fileName);
  for (const capture of referenceCaptures(checker, analysis.fearless, fn)) {
    const line = fn.file.getLineAndCharacterOfPosition(capture.node.getStart()).line + 1;
    const data = { fn: context.sourceCode.getText(argument), callee: site.calleeText, name: capture.name, file, line: String(line) };
    if (capture.importOf !== undefined) {
      context.report({ node: argument, messageId: 'referenceCaptureImport', data: { ...data, source: capture.importOf.source } });
      continue;
    }
    const part = notSendPart(analysis.fearless, services.program, capture.type, capture.name);
    if (part !== undefined) context.report({ node: argument, messageId: 'referenceCaptureNotSend', data: { ...data, path: part.path, reason: part.reason } });
    else context.report({ node: argument, messageId: 'referenceCapture', data });
  }
}

function report(context: Context, analysis: FileAnalysis, site: SpawnSite, capture: Capture): void {
  const { name, node } = capture;
  const callee = site.calleeText;
  if (capture.write) {
    return context.report({ node: capture.write, messageId: 'captureWrite', data: { name, callee } });
  }
  if (capture.importOf !== undefined) {
    const { source, imported } = capture.importOf;
    if (source === 'fearless' && imported === '*') {
      return context.report({ node, messageId: 'captureNamespaceImport', data: { name, callee } });
    }
    if (source === 'fearless') {
      return context.report({ node, messageId: 'captureRenamedImport', data: { name, callee, imported } });
    }
    return context.report({ node, messageId: 'captureImport', data: { name, callee, source } });
  }
  const type = analysis.checker.getTypeAtLocation(analysis.services.esTreeNodeToTSNodeMap.get(node));
  const part = notSendPart(analysis.fearless, analysis.services.program, type, name);
  if (part !== undefined) {
    return context.report({ node, messageId: 'captureNotSend', data: { name, callee, path: part.path, reason: part.reason } });
  }
  const fix = moveFix(analysis, site, name);
  context.report({
    node,
    messageId: 'capture',
    data: { name, callee },
    suggest: fix ? [{ messageId: 'moveIntoThread', data: { name }, fix }] : [],
  });
}

/**
 * The suggestion for a Send capture: hand it to the thread through `move(...)`.
 * `spawn(() => f(a))` → `spawn(move(a), (a) => f(a))`; `spawn(move(b), (b) => f(a, b))` →
 * `spawn(move(b, a), (b, a) => f(a, b))`. Only for inline closures of `spawn`/`pool.spawn`.
 */
function moveFix(analysis: FileAnalysis, site: SpawnSite, name: string): TSESLint.ReportFixFunction | undefined {
  const closure = site.closure;
  const { sourceCode } = analysis;
  if (!site.inline || site.kind === 'pool.map' || closure === undefined) return undefined;
  const params = closure.params;
  const last = params.at(-1);
  if (last?.type === AST_NODE_TYPES.RestElement) return undefined;
  if (site.moved === undefined && (params.length > 0 || site.call.arguments.length !== 1)) return undefined;
  const moveName = site.moved ? undefined : moveBinding(analysis);
  if (site.moved === undefined && moveName === undefined) return undefined;

  return (fixer) => {
    const fixes: TSESLint.RuleFix[] = [];
    if (site.moved) {
      const close = sourceCode.getLastToken(site.moved)!;
      fixes.push(fixer.insertTextBefore(close, site.moved.arguments.length > 0 ? `, ${name}` : name));
    } else {
      fixes.push(fixer.insertTextBefore(closure, `${moveName!.call}(${name}), `));
      if (moveName!.importFix) fixes.push(moveName!.importFix(fixer));
    }
    if (last === undefined) {
      const open = sourceCode.getFirstToken(closure, { filter: (token) => token.value === '(' })!;
      fixes.push(fixer.insertTextAfter(open, name));
    } else if (sourceCode.getTokenBefore(params[0]!)?.value === '(') {
      fixes.push(fixer.insertTextAfter(last, `, ${name}`));
    } else {
      // `x => …`: a lone parameter without parentheses.
      fixes.push(fixer.replaceText(last, `(${sourceCode.getText(last)}, ${name})`));
    }
    return fixes;
  };
}

/** How to call fearless's `move` here, importing it into the existing `import { … } from 'fearless'` when needed. */
function moveBinding(analysis: FileAnalysis): { call: string; importFix?: (fixer: TSESLint.RuleFixer) => TSESLint.RuleFix } | undefined {
  const imports = analysis.sourceCode.ast.body.filter(
    (statement): statement is TSESTree.ImportDeclaration =>
      statement.type === AST_NODE_TYPES.ImportDeclaration && statement.source.value === 'fearless' && statement.importKind !== 'type',
  );
  for (const declaration of imports) {
    for (const specifier of declaration.specifiers) {
      if (specifier.type === AST_NODE_TYPES.ImportSpecifier && specifier.imported.type === AST_NODE_TYPES.Identifier && specifier.imported.name === 'move') {
        return { call: specifier.local.name };
      }
    }
  }
  for (const declaration of imports) {
    const named = declaration.specifiers.filter((specifier) => specifier.type === AST_NODE_TYPES.ImportSpecifier);
    const lastNamed = named.at(-1);
    if (lastNamed) return { call: 'move', importFix: (fixer) => fixer.insertTextAfter(lastNamed, ', move') };
    const namespace = declaration.specifiers.find((specifier) => specifier.type === AST_NODE_TYPES.ImportNamespaceSpecifier);
    if (namespace) return { call: `${namespace.local.name}.move` };
  }
  return undefined;
}
