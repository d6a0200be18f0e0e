import { closeSync, openSync, writeSync } from 'node:fs';
import type { ExperimentRecord } from '../../src/experiment-record.js';

/** Where the raw records go in an experiment's output folder. */
export const RECORDS_FILE = 'records.jsonl';

/**
 * records.jsonl, appended one line per record as it is measured (a synchronous write each), so
 * whatever happens later — Ctrl-C, a lost device, a crash — what was measured is on disk.
 */
export class RecordsFile {
  private fd: number | undefined;

  /** Creates the file; refuses one that exists (never mixes two runs). */
  constructor(readonly path: string) {
    this.fd = openSync(path, 'wx', 0o644);
  }

  write(record: ExperimentRecord): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
