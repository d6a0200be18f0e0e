import { BAND_NAMES, bandOf, type BandName } from './bands.js';
import type { ExperimentRecords, PsiRecord } from './experiment-record.js';
import { distribution, type Distribution } from './experiment-stats.js';
import { armWindows } from './experiment-windows.js';

/**
 * Per-arm summary of an experiment's records: what summary.csv holds, and what the report's
 * table shows. Everything here is computed from the raw records only.
 */

export interface ReapByCpu {
  /** The CPU the reaper ran on (null: unknown). */
  readonly cpu: number | null;
  readonly count: number;
  readonly medianMs: number;
}

export interface ArmSummary {
  readonly arm: string;
  /** The arm's reaper CPU selection ("-": no lmk). */
  readonly reaperCpus: string;
  /** Rounds in which this arm had its turn. */
  readonly rounds: number;
  /** Time spent in this arm's windows, ms. */
  readonly windowMs: number;
  /** Measured launches (background launches excluded), failed ones included. */
  readonly launches: number;
  readonly failed: number;
  readonly cold: number;
  readonly warm: number;
  readonly hot: number;
  /** cold / launches that succeeded; undefined without any. */
  readonly coldShare: number | undefined;
  /** TotalTime of successful launches. */
  readonly totalTime: Distribution | undefined;
  readonly waitTime: Distribution | undefined;
  readonly lmkKills: number;
  /** null: logcat was not available, the phone's own kills are unknown. */
  readonly systemKills: number | null;
  /** Kills by both killers, by band of the victim's adj. */
  readonly killsByBand: Readonly<Record<BandName, number>>;
  /**
   * process_mrelease time of lmk's reaps: successful ones and those that found the victim already
   * past exit_mm (ESRCH, not a failure: it was freeing itself), by the CPU the reaper ran on.
   */
  readonly reap: Distribution | undefined;
  readonly reapByCpu: readonly ReapByCpu[];
  /** Of those, how many were ESRCH. */
  readonly reapEsrch: number;
  /** Reaps that failed with another errno. */
  readonly reapErrors: number;
  /** Signal → victim gone (its pidfd readable), ms: what reaping shortens. */
  readonly exit: Distribution | undefined;
  readonly freedKb: number;
  /** Memory stall time in this arm's windows, from the PSI totals; null without PSI. */
  readonly psiSomeMs: number | null;
  readonly psiFullMs: number | null;
}

/** A reap call that did its job: freed the memory, or found it already being freed (ESRCH). */
export function isReaped(errno: string | null): boolean {
  return errno === null || errno === 'ESRCH';
}

function emptyBands(): Record<BandName, number> {
  return Object.fromEntries(BAND_NAMES.map((band) => [band, 0])) as Record<BandName, number>;
}

/**
 * Stall time from consecutive PSI samples that fall in the same window: the growth of the
 * kernel's cumulative `total` (µs) between them, in ms.
 */
export function psiStallMs(samples: readonly PsiRecord[], arm: string): { some: number; full: number | null } | null {
  const ordered = [...samples].sort((a, b) => a.t - b.t);
  if (ordered.length === 0) return null;
  let some = 0;
  let full: number | null = null;
  for (let i = 1; i < ordered.length; i++) {
    const previous = ordered[i - 1]!;
    const sample = ordered[i]!;
    if (sample.arm !== arm || previous.arm !== arm || sample.round !== previous.round) continue;
    some += Math.max(0, sample.some.totalUs - previous.some.totalUs) / 1000;
    if (sample.full && previous.full) full = (full ?? 0) + Math.max(0, sample.full.totalUs - previous.full.totalUs) / 1000;
  }
  return { some, full: full ?? (ordered.some((s) => s.full !== null) ? 0 : null) };
}

export function summarizeArm(records: ExperimentRecords, arm: string): ArmSummary {
  const windows = armWindows(records).filter((window) => window.arm === arm);
  const launches = records.launches.filter((launch) => launch.arm === arm && !launch.background);
  const ok = launches.filter((launch) => launch.ok);
  const lmkKills = records.lmkKills.filter((kill) => kill.arm === arm);
  const systemKills = records.systemKills.filter((kill) => kill.arm === arm);
  const killsByBand = emptyBands();
  for (const kill of lmkKills) killsByBand[kill.record.band]++;
  for (const kill of systemKills) killsByBand[bandOf(kill.adj)]++;
  const reaped = lmkKills.flatMap((kill) => (kill.record.reap && isReaped(kill.record.reap.errno) ? [kill.record.reap] : []));
  const cpus = [...new Set(reaped.map((reap) => reap.cpu))].sort((a, b) => (a ?? -1) - (b ?? -1));
  const psi = psiStallMs(records.psi, arm);
  return {
    arm,
    reaperCpus: records.run.reaperCpus[arm] ?? '?',
    rounds: new Set(windows.map((window) => window.round)).size,
    windowMs: windows.reduce((sum, window) => sum + (window.end - window.start), 0),
    launches: launches.length,
    failed: launches.length - ok.length,
    cold: ok.filter((launch) => launch.launchState === 'COLD').length,
    warm: ok.filter((launch) => launch.launchState === 'WARM').length,
    hot: ok.filter((launch) => launch.launchState === 'HOT').length,
    coldShare: ok.length === 0 ? undefined : ok.filter((launch) => launch.launchState === 'COLD').length / ok.length,
    totalTime: distribution(ok.flatMap((launch) => (launch.totalTimeMs === null ? [] : [launch.totalTimeMs]))),
    waitTime: distribution(ok.flatMap((launch) => (launch.waitTimeMs === null ? [] : [launch.waitTimeMs]))),
    lmkKills: lmkKills.length,
    systemKills: records.run.logcat === 'available' ? systemKills.length : null,
    killsByBand,
    reap: distribution(reaped.map((reap) => reap.ms)),
    reapByCpu: cpus.map((cpu) => {
      const ms = reaped.filter((reap) => reap.cpu === cpu).map((reap) => reap.ms);
      return { cpu, count: ms.length, medianMs: distribution(ms)!.median };
    }),
    reapEsrch: reaped.filter((reap) => reap.errno === 'ESRCH').length,
    reapErrors: lmkKills.filter((kill) => kill.record.reap && !isReaped(kill.record.reap.errno)).length,
    exit: distribution(lmkKills.flatMap((kill) => (kill.record.exitMs === null ? [] : [kill.record.exitMs]))),
    freedKb: lmkKills.reduce((sum, kill) => sum + (kill.record.freedKb ?? 0), 0),
    psiSomeMs: psi ? psi.some : null,
    psiFullMs: psi ? psi.full : null,
  };
}

/** One summary per arm, in the spec's order. */
export function summarizeExperiment(records: ExperimentRecords): ArmSummary[] {
  return records.run.spec.arms.map((arm) => summarizeArm(records, arm.name));
}
