/** What a chunk of a newline-delimited stream held: whole lines, or news of one that was too long. */
export type LineEvent = { readonly kind: 'line'; readonly line: string } | { readonly kind: 'overflow' };

/**
 * Splits a byte stream into UTF-8 lines of at most `maxBytes` (newline and a trailing CR not
 * counted), holding at most `maxBytes` of an unfinished line. A longer line is reported once as
 * an overflow as soon as it passes the limit, and the rest of it, up to the next newline, is
 * skipped. Blank lines are dropped.
 */
export class LineSplitter {
  #parts: Buffer[] = [];
  #size = 0;
  #skipping = false;

  constructor(readonly maxBytes: number) {}

  /** Bytes held for the unfinished line. */
  get pendingBytes(): number {
    return this.#size;
  }

  push(chunk: Buffer): LineEvent[] {
    const events: LineEvent[] = [];
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline;
      if (!this.#skipping && end > start) {
        if (this.#size + (end - start) > this.maxBytes + 1) {
          // +1 leaves room for a CR before the newline; checked again once the line is whole.
          this.#drop();
          this.#skipping = true;
          events.push({ kind: 'overflow' });
        } else {
          // A copy, so a held piece never pins the whole chunk it came in.
          this.#parts.push(Buffer.from(chunk.subarray(start, end)));
          this.#size += end - start;
        }
      }
      if (newline === -1) break;
      if (this.#skipping) this.#skipping = false;
      else this.#finish(events);
      start = newline + 1;
    }
    return events;
  }

  /** The stream ended: an unfinished line, if any, counts as a line. */
  end(): LineEvent[] {
    const events: LineEvent[] = [];
    if (!this.#skipping) this.#finish(events);
    this.#skipping = false;
    this.#drop();
    return events;
  }

  #finish(events: LineEvent[]): void {
    let bytes = this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts, this.#size);
    this.#drop();
    if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, -1);
    if (bytes.length > this.maxBytes) {
      events.push({ kind: 'overflow' });
      return;
    }
    const line = bytes.toString('utf8');
    if (line.trim() !== '') events.push({ kind: 'line', line });
  }

  #drop(): void {
    this.#parts = [];
    this.#size = 0;
  }
}
