import type { z } from 'zod';

export interface JsonLines<T> {
  readonly records: T[];
  /** Lines that were not JSON or did not fit the schema: counted, never trusted. */
  readonly skipped: number;
}

/** Parses newline-delimited JSON, keeping each line that `schema` accepts. */
export function parseJsonLines<S extends z.ZodType>(text: string, schema: S): JsonLines<z.output<S>> {
  const records: z.output<S>[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      skipped++;
      continue;
    }
    const parsed = schema.safeParse(json);
    if (parsed.success) records.push(parsed.data);
    else skipped++;
  }
  return { records, skipped };
}
