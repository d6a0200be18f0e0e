/**
 * Quotes one value for a POSIX shell (Android's mksh, toybox, busybox): single quotes, with each
 * embedded `'` written as `'\''`. Every value that reaches a device shell goes through this.
 * NUL cannot be passed to a shell at all, so it is refused.
 */
export function shellQuote(value: string): string {
  if (value.includes('\0')) throw new Error('a shell argument cannot contain a NUL byte');
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/** Quotes each value and joins them with spaces: a command line of literal words. */
export function shellWords(values: readonly string[]): string {
  return values.map(shellQuote).join(' ');
}
