import { CliError } from '../cli-error.js';

/**
 * Parses `getprop` output: `[name]: [value]` per property. A value may span lines (rare, but
 * legal), so a property ends at the first `]` that ends a line. Anything else is refused: a
 * getprop that prints something else is no getprop to trust.
 */
export function parseGetprop(text: string): Map<string, string> {
  const props = new Map<string, string>();
  const pattern = /^\[([^\]\n]+)\]: \[([\s\S]*?)\]\r?$/gm;
  let covered = 0;
  const gaps: string[] = [];
  for (const match of text.matchAll(pattern)) {
    const [whole, name, value] = match;
    if (name === undefined || value === undefined) continue;
    gaps.push(text.slice(covered, match.index));
    covered = match.index + whole.length;
    props.set(name, value);
  }
  gaps.push(text.slice(covered));
  const stray = gaps.map((gap) => gap.trim()).find((gap) => gap !== '');
  if (stray !== undefined) throw new CliError(`getprop printed a line that is not '[name]: [value]': ${JSON.stringify(stray.split('\n')[0]?.slice(0, 80))}`);
  return props;
}
