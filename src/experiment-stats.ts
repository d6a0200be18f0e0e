/**
 * Order statistics for experiment summaries. Quantiles interpolate linearly between the two
 * nearest ranks (numpy's and R's default, "type 7"): q(p) = x[h] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋])
 * with h = (n − 1)p over the sorted values, so the median of an even count is the mean of the
 * middle two, and p99 of fewer than 100 values lies between the two largest.
 */

export function sortedNumbers(values: Iterable<number>): number[] {
  return [...values].filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
}

/** The p-quantile (0 ≤ p ≤ 1) of ascending values; undefined for none. */
export function quantileSorted(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  if (p <= 0) return sorted[0];
  if (p >= 1) return sorted[sorted.length - 1];
  const h = (sorted.length - 1) * p;
  const low = Math.floor(h);
  const a = sorted[low]!;
  const b = sorted[Math.min(low + 1, sorted.length - 1)]!;
  return a + (h - low) * (b - a);
}

export function quantile(values: Iterable<number>, p: number): number | undefined {
  return quantileSorted(sortedNumbers(values), p);
}

export interface Distribution {
  readonly count: number;
  readonly min: number;
  readonly q1: number;
  readonly median: number;
  readonly q3: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** The distribution of some values, undefined for none. */
export function distribution(values: Iterable<number>): Distribution | undefined {
  const sorted = sortedNumbers(values);
  if (sorted.length === 0) return undefined;
  const at = (p: number): number => quantileSorted(sorted, p)!;
  return {
    count: sorted.length,
    min: sorted[0]!,
    q1: at(0.25),
    median: at(0.5),
    q3: at(0.75),
    p90: at(0.9),
    p99: at(0.99),
    max: sorted[sorted.length - 1]!,
    mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
  };
}
