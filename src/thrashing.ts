import type { MemorySample } from './memory-sample.js';

/** lmkd's THRASHING_RESET_INTERVAL_MS: thrashing is measured over 1 s windows. */
export const THRASHING_WINDOW_MS = 1000;

/**
 * What lmkd keeps between invocations to measure thrashing: refaults since the window started,
 * as a % of the file LRU at its start, plus the previous window's value decaying by half per
 * window.
 */
export interface ThrashingState {
  readonly windowStartMs: number;
  /** File LRU at the window start. */
  readonly baseFileLruKb: number;
  /** The refault counter (pages) at the window start. */
  readonly baseRefaults: number;
  /** The last finished window's % (prev_thrash_growth), already decayed. */
  readonly carriedPercent: number;
  /** The limit now in force: the configured one, cut after each thrashing kill, restored each window. */
  readonly limitPercent: number;
  /** Highest % seen since the last kill, for the kill record. */
  readonly maxPercent: number;
}

export interface ThrashingSettings {
  readonly limitPercent: number;
  readonly decayPercent: number;
}

/**
 * A fresh baseline at this sample. lmkd's later code does this on its first invocation too;
 * before that fix a zero baseline made the first window's value meaningless.
 */
export function startThrashing(sample: MemorySample, limitPercent: number): ThrashingState {
  return {
    windowStartMs: sample.atMs,
    baseFileLruKb: sample.fileLruKb,
    baseRefaults: sample.vmstat.workingsetRefault,
    carriedPercent: 0,
    limitPercent,
    maxPercent: 0,
  };
}

/** After a kill the page cache changed under us: new baseline, nothing carried (the limit stays cut). */
export function restartThrashingAfterKill(state: ThrashingState, sample: MemorySample): ThrashingState {
  return {
    ...state,
    windowStartMs: sample.atMs,
    baseFileLruKb: sample.fileLruKb,
    baseRefaults: sample.vmstat.workingsetRefault,
    carriedPercent: 0,
  };
}

/** Refaults since the baseline as an integer % of the baseline file LRU (pages + 1, as lmkd). */
function refaultPercent(state: ThrashingState, sample: MemorySample): number {
  const refaults = Math.max(0, sample.vmstat.workingsetRefault - state.baseRefaults);
  return Math.floor((refaults * sample.pageKb * 100) / (state.baseFileLruKb + sample.pageKb));
}

/** Halves `percent` once per window (lmkd shifts, which overflowed after many windows; division does not). */
function decay(percent: number, windows: number): number {
  return Math.floor(percent / 2 ** windows);
}

/**
 * This invocation's thrashing %, and the state for the next one. When a window has passed, its
 * value is carried into the next one halved per window passed, except when exactly one window
 * passed and it ended over the limit: then nothing eligible could be killed, and keeping the
 * value makes the kill happen once something eligible appears. Crossing a window also restores
 * the limit. As in lmkd, the invocation that crosses a window reports only the carried value.
 */
export function measureThrashing(
  state: ThrashingState,
  sample: MemorySample,
  settings: ThrashingSettings,
): { state: ThrashingState; percent: number } {
  const sinceMs = sample.atMs - state.windowStartMs;
  let next: ThrashingState;
  let percent: number;
  if (sinceMs > THRASHING_WINDOW_MS) {
    const windows = Math.floor(sinceMs / THRASHING_WINDOW_MS);
    let carried = refaultPercent(state, sample);
    if (windows > 1 || carried < state.limitPercent) carried = decay(carried, windows);
    next = {
      ...startThrashing(sample, settings.limitPercent),
      carriedPercent: carried,
      maxPercent: state.maxPercent,
    };
    percent = carried;
  } else {
    next = state;
    percent = refaultPercent(state, sample) + state.carriedPercent;
  }
  return { state: { ...next, maxPercent: Math.max(next.maxPercent, percent) }, percent };
}

/** After a thrashing kill: cut the limit by decayPercent so the next kill comes sooner if thrashing goes on. */
export function cutThrashingLimit(state: ThrashingState, decayPercent: number): ThrashingState {
  return { ...state, limitPercent: Math.floor((state.limitPercent * (100 - decayPercent)) / 100) };
}
