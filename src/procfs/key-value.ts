import { ParseError, parseIntStrict } from '../parse-error.js';

/** "name value" lines of integers, as in a memory cgroup's memory.stat. */
export function parseKeyValueCounters(text: string, source: string): ReadonlyMap<string, number> {
  const counters = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const fields = line.split(' ');
    if (fields.length !== 2 || fields[0] === '') throw new ParseError(source, `bad line ${JSON.stringify(line)}`);
    counters.set(fields[0]!, parseIntStrict(fields[1]!, source, fields[0]!));
  }
  return counters;
}
