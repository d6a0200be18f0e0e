import { formatBytes } from '../../bundle/size-report.js';

/**
 * Push progress on stderr: on a terminal one bar redrawn in place (bytes sent of the total, the
 * file being pushed); otherwise one plain line per file, for logs.
 */
export class PushProgress {
  private done = 0;
  private current = '';
  private currentBytes = 0;
  private lastDraw = 0;
  private readonly tty: boolean;

  constructor(
    private readonly totalBytes: number,
    private readonly fileCount: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = out.isTTY === true;
  }

  startFile(path: string, size: number, index: number): void {
    this.current = path;
    this.currentBytes = 0;
    if (this.tty) this.draw(true);
    else this.out.write(`lmk deploy: [${index + 1}/${this.fileCount}] ${path} (${formatBytes(size)})\n`);
  }

  progress(bytesOfFile: number): void {
    this.currentBytes = bytesOfFile;
    if (this.tty) this.draw(false);
  }

  endFile(size: number): void {
    this.done += size;
    this.currentBytes = 0;
  }

  finish(): void {
    if (this.tty && this.fileCount > 0) this.out.write('\r\x1b[K');
  }

  private draw(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const sent = this.done + this.currentBytes;
    const fraction = this.totalBytes === 0 ? 1 : Math.min(1, sent / this.totalBytes);
    const width = 24;
    const filled = Math.round(fraction * width);
    const head = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}% ${formatBytes(sent)}/${formatBytes(this.totalBytes)} `;
    const room = Math.max(10, (this.out.columns || 80) - head.length - 1);
    const name = this.current.length > room ? `...${this.current.slice(-(room - 3))}` : this.current;
    this.out.write(`\r\x1b[K${head}${name}`);
  }
}
