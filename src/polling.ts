/**
 * Polling after a PSI event. PSI notifies at most once per window, so lmkd re-checks on a timer
 * for a while after each event, kill or direct reclaim (lmkd's poll_params).
 */
export interface PollingState {
  /** When the current polling window started. */
  readonly startMs: number;
  readonly intervalMs: number;
}

export interface PollingSettings {
  readonly fastIntervalMs: number;
  readonly slowIntervalMs: number;
  readonly windowMs: number;
}

/**
 * `start`: (re)open the window now (lmkd's POLLING_START). Otherwise an open window keeps going
 * until more than windowMs has passed since it opened, then closes (null).
 */
export function nextPolling(
  previous: PollingState | null,
  atMs: number,
  start: boolean,
  fast: boolean,
  settings: PollingSettings,
): PollingState | null {
  const intervalMs = fast ? settings.fastIntervalMs : settings.slowIntervalMs;
  if (start) return { startMs: atMs, intervalMs };
  if (!previous || atMs - previous.startMs > settings.windowMs) return null;
  return { startMs: previous.startMs, intervalMs };
}

/** lmkd's POLLING_DO_NOT_CHANGE: keep the interval, close the window once it is over. */
export function keepPolling(previous: PollingState | null, atMs: number, settings: PollingSettings): PollingState | null {
  if (!previous || atMs - previous.startMs > settings.windowMs) return null;
  return previous;
}
