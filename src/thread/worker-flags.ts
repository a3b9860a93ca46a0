/**
 * The Node flags a worker starts with. A worker inherits the main thread's `execArgv`, but some
 * flags describe only how the main thread got its own code (`node --input-type=module -e '…'`,
 * `-p`, `-i`, `--check`): a worker started with `--input-type` dies at once ("--input-type can
 * only be used with string input"), so every spawn of such a program panicked. Those are left
 * out; every other flag (loaders, `--import`, `--conditions`, memory and inspector settings)
 * is inherited as before.
 */

/** Flags that only say how the main thread reads its entry, with whether a value follows them. */
const ENTRY_ONLY: ReadonlyMap<string, boolean> = new Map([
  ['--input-type', true],
  ['-e', true],
  ['--eval', true],
  ['-p', true],
  ['--print', true],
  ['-pe', true],
  ['-i', false],
  ['--interactive', false],
  ['-c', false],
  ['--check', false],
]);

/** `execArgv` without the entry-only flags (and their values); the same array when it has none. */
export function workerExecArgv(execArgv: readonly string[]): readonly string[] {
  let kept: string[] | undefined;
  for (let index = 0; index < execArgv.length; index++) {
    const flag = execArgv[index]!;
    const equals = flag.indexOf('=');
    const name = flag.startsWith('--') && equals > 0 ? flag.slice(0, equals) : flag;
    const takesValue = ENTRY_ONLY.get(name);
    if (takesValue === undefined) {
      kept?.push(flag);
      continue;
    }
    kept ??= execArgv.slice(0, index);
    // `--input-type module` (the value apart) or `-e code`: the value goes too.
    if (takesValue && name === flag) index++;
  }
  return kept ?? execArgv;
}
