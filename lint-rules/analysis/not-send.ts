import ts from 'typescript';
import { FearlessPackage } from '../../src/cli/fearless-package.js';
import { SendCheck } from '../../src/cli/send-check.js';
import { TypeReader, failurePath } from '../../src/cli/verdict.js';
import type { FearlessModule } from './fearless-module.js';

/** Where a value stops being Send: the path to the part (`job.cb`) and why, in the marker types' words. */
export interface NotSendPart {
  readonly path: string;
  readonly reason: string;
}

/**
 * One Send check per program, shared by every file linted against it: it is `fearless check`'s
 * own (src/cli/send-check.ts), so the rule, the CLI and the `Send<T>` marker type give the same
 * verdict and the same reason (test/cli/parity.test.ts holds them to it). Keyed by the checker:
 * the project service hands out a new program, and so a new checker, when a file changes.
 */
const checks = new WeakMap<ts.TypeChecker, SendCheck>();

function sendCheck(fearless: FearlessModule, program: ts.Program): SendCheck {
  const known = checks.get(fearless.checker);
  if (known !== undefined) return known;
  // The package's own declarations are the files `import … from 'fearless'` resolved to (an
  // ambient `declare module 'fearless'` among them), not a package.json named fearless.
  const owner = new FearlessPackage(ts, fearless.checker, (file) => fearless.ownsFile(file));
  const check = new SendCheck(new TypeReader(ts, fearless.checker, program), owner);
  // A file that does not import fearless knows none of its files: its check is not the program's.
  if (fearless.available) checks.set(fearless.checker, check);
  return check;
}

/**
 * The first part of a value of type `type`, reached as `name`, that cannot cross a worker
 * boundary; `undefined` when it is Send. `any` passes (it opted out of checking).
 *
 * @example
 * ```ts
 * const job = { id: 1, cb: () => {} };
 * notSendPart(fearless, program, typeOf(job), 'job');
 * // { path: 'job.cb', reason: 'functions cannot cross a worker boundary (send plain data; …)' }
 * ```
 */
export function notSendPart(fearless: FearlessModule, program: ts.Program, type: ts.Type, name: string): NotSendPart | undefined {
  const verdict = sendCheck(fearless, program).verdict(type);
  return verdict.ok ? undefined : { path: failurePath(name, verdict), reason: verdict.reason };
}
