import { ParseError, parseIntStrict } from './parse-error.js';

/** One PSI line: the share of wall time stalled, in percent, over 10/60/300 s, and the total. */
export interface PsiLine {
  readonly avg10: number;
  readonly avg60: number;
  readonly avg300: number;
  /** Cumulative stall time in microseconds. */
  readonly totalUs: number;
}

export interface Psi {
  /** Some tasks stalled. */
  readonly some: PsiLine;
  /** All non-idle tasks stalled at once. Absent for cpu on kernels before 5.13. */
  readonly full: PsiLine | undefined;
}

const LINE = /^(some|full) avg10=(\d+\.\d{2}) avg60=(\d+\.\d{2}) avg300=(\d+\.\d{2}) total=(\d+)((?: \w+=\S+)*)$/;

/**
 * Parses a pressure file: /proc/pressure/{memory,cpu,io} or a cgroup2 {memory,cpu,io}.pressure.
 * Extra key=value fields after total, and extra lines of the same "<kind> key=value..." shape,
 * are tolerated in case a kernel adds them; anything else is refused.
 */
export function parsePsi(text: string, source = 'PSI'): Psi {
  let some: PsiLine | undefined;
  let full: PsiLine | undefined;
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const line of lines) {
    const m = LINE.exec(line);
    if (!m) {
      if (/^[a-z]+(?: \w+=\S+)+$/.test(line) && !/^(some|full) /.test(line)) continue;
      throw new ParseError(source, `not a PSI line: ${JSON.stringify(line)}`);
    }
    const parsed: PsiLine = {
      avg10: Number(m[2]),
      avg60: Number(m[3]),
      avg300: Number(m[4]),
      totalUs: parseIntStrict(m[5]!, source, 'total'),
    };
    if (m[1] === 'some') {
      if (some) throw new ParseError(source, 'duplicate "some" line');
      some = parsed;
    } else {
      if (full) throw new ParseError(source, 'duplicate "full" line');
      full = parsed;
    }
  }
  if (!some) throw new ParseError(source, 'missing "some" line');
  return { some, full };
}
