/** Order statistics over measured samples; null samples (never happened) sort last. */
export function quantile(samples: readonly (number | null)[], q: number): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => (a === null ? 1 : b === null ? -1 : a - b));
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? null;
}

export function median(samples: readonly (number | null)[]): number | null {
  return quantile(samples, 0.5);
}

export function formatMs(value: number | null, cap?: number): string {
  if (value === null) return cap === undefined ? 'never' : `>${cap}`;
  return value < 10 ? value.toFixed(2) : value.toFixed(0);
}

/** a / b as "×N.N", or a word when one side never happened. */
export function formatRatio(a: number | null, b: number | null): string {
  if (a === null && b === null) return 'n/a';
  if (a === null) return '∞';
  if (b === null) return '0';
  return `×${(a / b).toFixed(2)}`;
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
