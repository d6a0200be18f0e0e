import type { AppSpec } from './apps.js';

/** oom_score_adj values ActivityManager uses (ProcessList.java). */
export const ADJ = {
  foreground: 0,
  visible: 100,
  perceptible: 200,
  home: 600,
  previous: 700,
  cachedMin: 900,
  cachedMax: 999,
} as const;

/** Step between successive cached apps, newest first. */
const CACHED_STEP = 10;

/**
 * Assigns oom_score_adj to running apps like ActivityManager: the app in front 0, the one in
 * front just before it "previous" (700), home 600, apps with a background role their own adj,
 * and the rest cached from 900 (most recently used) in steps of 10 up to 999.
 *
 * lru: running apps, most recently in front first; front: the package in front, if any.
 */
export function assignAdjs(lru: readonly AppSpec[], front: string | undefined): Map<string, number> {
  const adjs = new Map<string, number>();
  let cached = 0;
  lru.forEach((app, index) => {
    let adj: number;
    if (app.packageName === front) adj = ADJ.foreground;
    else if (app.home) adj = ADJ.home;
    else if (app.backgroundAdj !== undefined) adj = app.backgroundAdj;
    else if (index === (front === undefined ? 0 : 1)) adj = ADJ.previous;
    else adj = Math.min(ADJ.cachedMin + CACHED_STEP * cached++, ADJ.cachedMax);
    adjs.set(app.packageName, adj);
  });
  return adjs;
}
