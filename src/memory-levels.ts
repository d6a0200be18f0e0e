import type { MemorySample } from './memory-sample.js';

/** The lowest watermark free memory is below, or 'none'. Ordered: min < low < high < none. */
export type WatermarkBreach = 'min' | 'low' | 'high' | 'none';

/** lmkd's get_lowest_watermark: CMA pages are free but unusable for most allocations. */
export function lowestBreachedWatermark(sample: MemorySample): WatermarkBreach {
  const free = sample.freeKb - sample.cmaFreeKb;
  if (free < sample.watermarks.minKb) return 'min';
  if (free < sample.watermarks.lowKb) return 'low';
  if (free < sample.watermarks.highKb) return 'high';
  return 'none';
}

/**
 * lmkd's get_free_swap: with zram, free swap needs free RAM to back it, so the usable amount is
 * the smaller of SwapFree and easily available memory × compression ratio (0 = trust SwapFree).
 */
export function usableSwapKb(sample: MemorySample, compressionRatio: number): number {
  if (compressionRatio === 0) return sample.swapFreeKb;
  return Math.min(sample.swapFreeKb, (sample.freeKb + sample.inactiveFileKb) * compressionRatio);
}

export interface SwapLevel {
  readonly usableKb: number;
  /** SwapTotal × swapFreeLowPercent / 100. */
  readonly thresholdKb: number;
  readonly low: boolean;
}

/** Swap is low when usable swap is under swapFreeLowPercent of SwapTotal; never when that is 0. */
export function swapLevel(sample: MemorySample, swapFreeLowPercent: number, compressionRatio: number): SwapLevel {
  const usableKb = usableSwapKb(sample, compressionRatio);
  const thresholdKb = Math.floor((sample.swapTotalKb * swapFreeLowPercent) / 100);
  return { usableKb, thresholdKb, low: swapFreeLowPercent > 0 && usableKb < thresholdKb };
}
