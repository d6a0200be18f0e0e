import { ParseError, parseIntStrict } from '../parse-error.js';

export interface SwapArea {
  readonly filename: string;
  readonly type: string;
  readonly sizeKb: number;
  readonly usedKb: number;
  readonly priority: number;
}

/** /proc/swaps: a header line, then one whitespace-separated line per active swap area. */
export function parseSwaps(text: string): SwapArea[] {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length === 0 || !lines[0]!.startsWith('Filename')) throw new ParseError('/proc/swaps', 'missing header line');
  return lines.slice(1).map((line) => {
    const fields = line.trim().split(/\s+/);
    if (fields.length !== 5) throw new ParseError('/proc/swaps', `expected 5 fields in ${JSON.stringify(line)}`);
    const [filename, type, size, used, priority] = fields as [string, string, string, string, string];
    return {
      filename,
      type,
      sizeKb: parseIntStrict(size, '/proc/swaps', 'Size'),
      usedKb: parseIntStrict(used, '/proc/swaps', 'Used'),
      priority: parseIntStrict(priority, '/proc/swaps', 'Priority'),
    };
  });
}
