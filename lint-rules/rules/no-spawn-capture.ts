import { AST_NODE_TYPES } from '@typescript-eslint/utils';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../create-rule.js';
import { getFileAnalysis } from '../analysis/file-analysis.js';
import type { FileAnalysis } from '../analysis/file-analysis.js';
import { closureCaptures } from '../analysis/captures.js';
import type { Capture } from '../analysis/captures.js';
import { notSendPart } from '../analysis/not-send.js';
import type { SpawnSite } from '../analysis/sites.js';

type MessageIds =
  | 'capture'
  | 'captureNotSend'
  | 'captureImport'
  | 'captureRenamedImport'
  | 'captureNamespaceImport'
  | 'captureWrite'
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
        '`{{name}}` is captured by the closure passed to `{{callee}}`, which runs on another thread where `{{name}}` does not exist, and it cannot be moved there either: `{{path}}` is {{what}}.',
      captureImport:
        "`{{name}}` is imported by this module; the closure passed to `{{callee}}` runs on another thread where the import does not exist. Import it inside the closure: `await import('{{source}}')`.",
      captureRenamedImport:
        "`{{name}}` is fearless's `{{imported}}` imported under another name; inside the closure passed to `{{callee}}` fearless's exports exist only under their own names. Import it as `{{imported}}`.",
      captureNamespaceImport:
        "`{{name}}` is a namespace import of fearless; inside the closure passed to `{{callee}}` fearless's exports exist only under their own names. Import what the closure uses by name (`import { … } from 'fearless'`).",
      captureWrite:
        '`{{name}}` is assigned inside the closure passed to `{{callee}}`, which runs on another thread: the write will be lost. Return the value from the closure and read it from `join()`.',
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
          if (site.closure === undefined) continue;
          for (const capture of closureCaptures(analysis, site.closure)) report(context, analysis, site, capture);
        }
      },
    };
  },
});

type Context = Readonly<TSESLint.RuleContext<MessageIds, []>>;

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
  const part = notSendPart(analysis.fearless, type, name);
  if (part !== undefined) {
    return context.report({ node, messageId: 'captureNotSend', data: { name, callee, path: part.path, what: part.what } });
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
