/**
 * "checked 120/400 files" on stderr. stdout carries only the report, so a tool can pipe it.
 * On a terminal the line rewrites itself; elsewhere (with --progress) it prints a line every
 * tenth of the way, so a CI log shows movement without thousands of lines.
 */
export class Progress {
  private lastTenth = -1;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly enabled: boolean,
    private readonly total: number,
  ) {}

  static for(stream: NodeJS.WriteStream, requested: boolean | undefined, total: number): Progress {
    return new Progress(stream, requested ?? stream.isTTY === true, total);
  }

  update(done: number): void {
    if (!this.enabled) return;
    const line = `checked ${done}/${this.total} files`;
    if (this.stream.isTTY === true) {
      this.stream.write(`\r${line}\x1b[K${done === this.total ? '\n' : ''}`);
      return;
    }
    const tenth = this.total === 0 ? 10 : Math.floor((done * 10) / this.total);
    if (tenth !== this.lastTenth) {
      this.lastTenth = tenth;
      this.stream.write(`${line}\n`);
    }
  }
}
