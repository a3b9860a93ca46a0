/**
 * "checked 120/400 files" on stderr. stdout carries only the report, so a tool can pipe it.
 * On a terminal the line rewrites itself; elsewhere (with --progress) it prints a line every
 * tenth of the way, so a CI log shows movement without thousands of lines.
 */
export class Progress {
  private lastTenth = -1;
  private total = 0;

  private constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly enabled: boolean,
  ) {}

  /** On when asked (`--progress`/`--no-progress`), else when stderr is a terminal. */
  static for(stream: NodeJS.WriteStream, requested: boolean | undefined): Progress {
    return new Progress(stream, requested ?? stream.isTTY === true);
  }

  /** Parsing every file comes first and takes a while on a large project: say so. */
  loading(tsconfig: string): void {
    this.write(`loading ${tsconfig}`, false);
  }

  start(total: number): void {
    this.total = total;
    // Nothing to check: end the "loading" line now, there will be no other.
    if (total === 0) this.update(0);
  }

  update(done: number): void {
    const tenth = this.total === 0 ? 10 : Math.floor((done * 10) / this.total);
    if (this.stream.isTTY !== true && tenth === this.lastTenth) return;
    this.lastTenth = tenth;
    this.write(`checked ${done}/${this.total} files`, done === this.total);
  }

  private write(line: string, last: boolean): void {
    if (!this.enabled) return;
    if (this.stream.isTTY === true) this.stream.write(`\r${line}\x1b[K${last ? '\n' : ''}`);
    else this.stream.write(`${line}\n`);
  }
}
