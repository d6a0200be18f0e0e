/**
 * Every parser of outside text (procfs, sysfs, PSI, config, adb output) throws this on input it
 * does not understand, so callers can tell "bad input" from a bug and never act on a guess.
 */
export class ParseError extends Error {
  override readonly name = 'ParseError';
  constructor(
    /** What was being parsed, e.g. "/proc/<pid>/stat" or "meminfo". */
    readonly source: string,
    /** Why it was refused, one line. */
    readonly reason: string,
  ) {
    super(`${source}: ${reason}`);
  }
}

/** A base-10 integer field, refusing anything else (empty, fractional, hex, trailing garbage). */
export function parseIntStrict(text: string, source: string, what: string): number {
  if (!/^-?\d+$/.test(text)) throw new ParseError(source, `${what} is not an integer: ${JSON.stringify(text)}`);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new ParseError(source, `${what} is out of range: ${text}`);
  return n;
}
