import { StringDecoder } from 'node:string_decoder';
import { markerStatus } from './exit-marker.js';

/**
 * Splits a marked shell stream (see exit-marker.ts) into lines as bytes arrive, and takes the
 * marker line out: the empty line the wrapper prints before it is held back until the next line
 * shows whether it was the command's own.
 */
export class MarkedLineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  private heldEmpty = false;
  /** The command's exit status, once its marker line went by. */
  exitCode: number | undefined;

  constructor(
    private readonly marker: string,
    private readonly onLine: (line: string) => void,
  ) {}

  push(chunk: Buffer): void {
    const text = this.partial + this.decoder.write(chunk);
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.line(line.endsWith('\r') ? line.slice(0, -1) : line);
  }

  /** The stream ended: hands over what is left. */
  end(): void {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    if (rest !== '') this.line(rest);
    if (this.heldEmpty) this.emit('');
  }

  private line(line: string): void {
    if (this.exitCode === undefined) {
      const status = markerStatus(line, this.marker);
      if (status !== undefined) {
        this.exitCode = status;
        this.heldEmpty = false;
        return;
      }
    }
    if (this.heldEmpty) this.emit('');
    this.heldEmpty = this.exitCode === undefined && line === '';
    if (!this.heldEmpty) this.emit(line);
  }

  private emit(line: string): void {
    this.heldEmpty = false;
    this.onLine(line);
  }
}
