import { ParseError, parseIntStrict } from '../parse-error.js';

/** /proc/<pid>/statm, all in pages. */
export interface ProcStatm {
  readonly size: number;
  readonly resident: number;
  /** File-backed and shared-memory resident pages (RssFile + RssShmem). */
  readonly shared: number;
  readonly text: number;
  /** Always 0 since Linux 2.6. */
  readonly lib: number;
  /** Data + stack. */
  readonly data: number;
  /** Always 0 since Linux 2.6. */
  readonly dt: number;
}

/** Parses /proc/<pid>/statm: exactly seven numbers on one line. */
export function parseStatm(text: string, source = '/proc/<pid>/statm'): ProcStatm {
  const parts = text.replace(/\n$/, '').split(' ');
  if (parts.length !== 7) throw new ParseError(source, `expected 7 numbers, got ${JSON.stringify(text)}`);
  const [size, resident, shared, textPages, lib, data, dt] = parts.map((part, i) =>
    parseIntStrict(part, source, `field ${i + 1}`),
  ) as [number, number, number, number, number, number, number];
  return { size, resident, shared, text: textPages, lib, data, dt };
}
