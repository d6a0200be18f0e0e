import { closeSync, fstatSync, openSync, renameSync, writeSync } from 'node:fs';

/**
 * agent.log: appended to, and when the next write would take it past `maxBytes`, renamed to
 * agent.1.log (replacing the older one) and started afresh. Writes are whole chunks as they came
 * from the agent's pipe, so a line is never split across the two files unless the agent wrote it
 * in pieces. A failed write is dropped: the log never takes the supervisor down.
 */
export class RotatingLog {
  #fd: number | undefined;
  #size = 0;

  constructor(
    readonly path: string,
    readonly oldPath: string,
    readonly maxBytes: number,
  ) {
    this.#open();
  }

  #open(): void {
    try {
      this.#fd = openSync(this.path, 'a', 0o600);
      this.#size = fstatSync(this.#fd).size;
    } catch {
      this.#fd = undefined;
      this.#size = 0;
    }
  }

  #rotate(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
    try {
      renameSync(this.path, this.oldPath);
    } catch {
      // nothing to rotate, or no permission: keep appending where we can
    }
    this.#open();
  }

  write(chunk: Buffer | string): void {
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (this.#size > 0 && this.#size + data.length > this.maxBytes) this.#rotate();
    if (this.#fd === undefined) this.#open();
    if (this.#fd === undefined) return;
    try {
      writeSync(this.#fd, data);
      this.#size += data.length;
    } catch {
      // disk full or the file went away: drop this chunk
    }
  }

  /** One JSON line in the agent's log format (pino's level numbers, ISO time). */
  line(level: 'info' | 'warn' | 'error', fields: Record<string, unknown>, msg: string): void {
    const number = level === 'info' ? 30 : level === 'warn' ? 40 : 50;
    this.write(`${JSON.stringify({ level: number, time: new Date().toISOString(), pid: process.pid, name: 'lmk-supervisor', ...fields, msg })}\n`);
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}
