/** Runs a compiled fixture program (dist/test/fixtures/lifecycle/NAME.js) in a child process. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ProgramResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runProgram(name: string, args: readonly string[] = [], options: { timeout?: number; nodeArgs?: readonly string[] } = {}): Promise<ProgramResult> {
  const program = fileURLToPath(new URL(`../../dist/test/fixtures/lifecycle/${name}.js`, import.meta.url));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...(options.nodeArgs ?? []), program, ...args],
      { timeout: options.timeout ?? 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
