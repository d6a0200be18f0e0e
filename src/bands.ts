/**
 * Android importance bands by oom_score_adj, as ActivityManager (ProcessList.java) assigns them.
 * Each band runs from one constant up to just below the next, so every adj in -1000..1000 has
 * exactly one band.
 */

/** Most important first. */
export const BAND_NAMES = [
  'native',
  'system',
  'persistent',
  'foreground',
  'visible',
  'perceptible',
  'backup',
  'heavy',
  'service',
  'home',
  'previous',
  'serviceB',
  'cached',
] as const;

export type BandName = (typeof BAND_NAMES)[number];

export interface Band {
  readonly name: BandName;
  /** Lowest oom_score_adj in the band, inclusive. */
  readonly min: number;
  /** Highest oom_score_adj in the band, inclusive. */
  readonly max: number;
}

/** Most important first; contiguous and covering -1000..1000. */
export const BANDS: readonly Band[] = [
  { name: 'native', min: -1000, max: -901 },
  { name: 'system', min: -900, max: -801 },
  { name: 'persistent', min: -800, max: -1 },
  { name: 'foreground', min: 0, max: 99 },
  { name: 'visible', min: 100, max: 199 },
  { name: 'perceptible', min: 200, max: 299 },
  { name: 'backup', min: 300, max: 399 },
  { name: 'heavy', min: 400, max: 499 },
  { name: 'service', min: 500, max: 599 },
  { name: 'home', min: 600, max: 699 },
  { name: 'previous', min: 700, max: 799 },
  { name: 'serviceB', min: 800, max: 899 },
  { name: 'cached', min: 900, max: 1000 },
];

/** The band of an oom_score_adj. Throws RangeError outside -1000..1000: the kernel never reports that. */
export function bandOf(adj: number): BandName {
  if (!Number.isInteger(adj) || adj < -1000 || adj > 1000) {
    throw new RangeError(`oom_score_adj out of range: ${adj}`);
  }
  for (const band of BANDS) {
    if (adj <= band.max) return band.name;
  }
  // Unreachable: the table ends at 1000.
  throw new RangeError(`oom_score_adj out of range: ${adj}`);
}
