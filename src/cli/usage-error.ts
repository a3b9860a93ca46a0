/**
 * A mistake in how the CLI was called (bad flag, missing tsconfig, unknown type): printed as
 * `error: <message>` and exit code 2, without a stack trace. It never leaves the CLI, so it is
 * not one of the package's public errors in src/errors.ts.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
