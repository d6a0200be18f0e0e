import { parseJsonLines } from './json-lines.js';
import { KillRecordSchema, type KillRecord } from './kill-record.js';

/**
 * Reading the agent's kill log as `lmk logs` does: `kills.jsonl` and its rotations
 * `kills.1.jsonl` (older) … `kills.N.jsonl` (oldest), JSON lines each checked with
 * KillRecordSchema. A line that is not a kill record (torn by a crash, damaged, from a future
 * agent's other events) is skipped and counted, never trusted.
 */

const KILL_LOG_NAME = /^kills(?:\.(\d{1,4}))?\.jsonl$/;

/** The rotation index of a kill log file name (0 for kills.jsonl), or undefined for other files. */
export function killLogIndex(name: string): number | undefined {
  const match = KILL_LOG_NAME.exec(name);
  if (!match) return undefined;
  return match[1] === undefined ? 0 : Number(match[1]);
}

/** Kill log file names oldest first (highest rotation index first, kills.jsonl last); other names dropped. */
export function killLogFilesOldestFirst(names: readonly string[]): string[] {
  return names
    .filter((name) => killLogIndex(name) !== undefined)
    .sort((a, b) => (killLogIndex(b) ?? 0) - (killLogIndex(a) ?? 0));
}

export interface KillLogRead {
  /** Oldest first. */
  readonly records: KillRecord[];
  /** Lines that were not valid kill records. */
  readonly skipped: number;
}

/** Parses the texts of kill log files, given oldest first. */
export function parseKillLog(texts: readonly string[]): KillLogRead {
  const records: KillRecord[] = [];
  let skipped = 0;
  for (const text of texts) {
    const read = parseJsonLines(text, KillRecordSchema);
    records.push(...read.records);
    skipped += read.skipped;
  }
  return { records, skipped };
}

/**
 * Splits the output of one shell that printed each file after a line `${marker}NAME`: the files'
 * texts by name. Text before the first marker is not part of any file.
 */
export function splitMarkedFiles(output: string, marker: string): Map<string, string> {
  const files = new Map<string, string>();
  let current: string | undefined;
  let lines: string[] = [];
  const flush = (): void => {
    if (current !== undefined) files.set(current, (files.get(current) ?? '') + lines.join('\n'));
  };
  for (const line of output.split('\n')) {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (text.startsWith(marker)) {
      flush();
      current = text.slice(marker.length);
      lines = [];
    } else {
      lines.push(text);
    }
  }
  flush();
  return files;
}
