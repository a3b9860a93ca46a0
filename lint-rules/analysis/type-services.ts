import type { ParserServicesWithTypeInformation, TSESLint } from '@typescript-eslint/utils';

type AnyContext = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

/**
 * The parser's type information for the file being linted, or `undefined` when there is none:
 * a `.js` file parsed by espree, or a TypeScript file outside every tsconfig. Unlike
 * typescript-eslint's `getParserServices`, it never throws: one file without types must not
 * abort the lint of a whole mixed JS/TS project ("Error while loading rule … requires type
 * information"). Every rule then skips that file, as if it had nothing to check.
 */
export function typeServices(context: AnyContext): ParserServicesWithTypeInformation | undefined {
  const services = context.sourceCode.parserServices as Partial<ParserServicesWithTypeInformation> | undefined;
  if (services?.program == null || services.esTreeNodeToTSNodeMap == null || services.tsNodeToESTreeNodeMap == null) return undefined;
  return services as ParserServicesWithTypeInformation;
}
