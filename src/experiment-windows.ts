import type { ExperimentRecords } from './experiment-record.js';

/** One arm's turn in one round, on our clock (ms since the epoch). */
export interface ArmWindow {
  readonly arm: string;
  readonly round: number;
  readonly start: number;
  readonly end: number;
  /** Its arm-end was recorded (false: the run stopped inside it). */
  readonly closed: boolean;
}

/**
 * The windows of a run, in order: each arm-start paired with its arm-end; a window whose end
 * was never written (an interrupted run) ends at the next window's start or the run's last record.
 */
export function armWindows(records: Pick<ExperimentRecords, 'windows' | 'end' | 'launches' | 'psi'>): ArmWindow[] {
  const starts = records.windows.filter((w) => w.type === 'arm-start').sort((a, b) => a.t - b.t);
  const lastTime = Math.max(records.end?.t ?? 0, ...records.launches.map((l) => l.t + l.wallMs), ...records.psi.map((p) => p.t));
  return starts.map((start, index) => {
    const end = records.windows.find((w) => w.type === 'arm-end' && w.arm === start.arm && w.round === start.round && w.t >= start.t);
    const next = starts[index + 1];
    return {
      arm: start.arm,
      round: start.round,
      start: start.t,
      end: end ? end.t : Math.max(start.t, next ? next.t : lastTime),
      closed: end !== undefined,
    };
  });
}
