import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseJsonLines } from '../src/json-lines.js';
import { KillRecordSchema, type KillRecord } from '../src/kill-record.js';

const RECENT = 50;

/**
 * The kill log: JSON lines in `dir/kills.jsonl`, rotated to kills.1.jsonl … when it passes
 * maxBytes, keeping `files` files in all. It survives restarts; what it holds is read back
 * (and validated: a damaged line is skipped, never trusted) to show recent kills.
 */
export class KillLog {
  readonly #recent: KillRecord[] = [];

  constructor(
    readonly dir: string,
    private limits: { maxBytes: number; files: number },
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.#recent = this.read().slice(-RECENT);
  }

  get path(): string {
    return join(this.dir, 'kills.jsonl');
  }

  setLimits(limits: { maxBytes: number; files: number }): void {
    this.limits = limits;
  }

  #rotated(index: number): string {
    return index === 0 ? this.path : join(this.dir, `kills.${index}.jsonl`);
  }

  append(record: KillRecord): void {
    const line = `${JSON.stringify(record)}\n`;
    const size = existsSync(this.path) ? statSync(this.path).size : 0;
    if (size > 0 && size + line.length > this.limits.maxBytes) this.#rotate();
    appendFileSync(this.path, line, { mode: 0o600 });
    this.#recent.push(record);
    if (this.#recent.length > RECENT) this.#recent.shift();
  }

  #rotate(): void {
    rmSync(this.#rotated(this.limits.files - 1), { force: true });
    for (let index = this.limits.files - 2; index >= 0; index--) {
      if (existsSync(this.#rotated(index))) renameSync(this.#rotated(index), this.#rotated(index + 1));
    }
  }

  /** Up to `limit` most recent records kept in memory. */
  recent(limit = RECENT): KillRecord[] {
    return this.#recent.slice(-limit);
  }

  /** Every valid record on disk, oldest first. */
  read(): KillRecord[] {
    const records: KillRecord[] = [];
    for (let index = this.limits.files - 1; index >= 0; index--) {
      let text: string;
      try {
        text = readFileSync(this.#rotated(index), 'utf8');
      } catch {
        continue;
      }
      records.push(...parseJsonLines(text, KillRecordSchema).records); // damaged lines skipped, never trusted
    }
    return records;
  }
}
