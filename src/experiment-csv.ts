import { BAND_NAMES, BANDS, type BandName } from './bands.js';
import type { ArmSummary } from './experiment-summary.js';

/**
 * summary.csv: one row per arm (RFC 4180: comma-separated, CRLF-free "\n" lines, cells with a
 * comma, quote or newline quoted). Times in ms with one decimal; an empty cell means "no data"
 * (e.g. no successful launch); system_kills says "not available" when the phone has no logcat.
 *
 * Columns: arm, reaper_cpus, rounds, window_s, launches, failed, cold, warm, hot, cold_share,
 * total_ms_median/p90/p99 (ActivityManager's TotalTime), wait_ms_median/p90/p99, lmk_kills,
 * system_kills, kills_<band> (both killers, by the victim's band: foreground … cached, and any
 * other band that had a kill), reaped, reap_esrch, reap_ms_median/p90/max (process_mrelease
 * calls that freed the victim or found it already exiting, ESRCH), reap_ms_by_cpu
 * ("cpu0:n=3 median=12.5;…", the CPU the reaper ran on), reap_errors (any other errno),
 * exit_ms_median/p90 (signal → victim gone), freed_mb, psi_some_ms, psi_full_ms (memory stall
 * time inside the arm's windows).
 */

function cell(value: string | number | null | undefined, digits = 1): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(digits);
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Bands with a column: every band an app can be in (adj ≥ 0), plus any other that had a kill. */
export function csvBands(summaries: readonly ArmSummary[]): BandName[] {
  return BAND_NAMES.filter((band) => (BANDS.find((b) => b.name === band)?.min ?? -1) >= 0 || summaries.some((s) => s.killsByBand[band] > 0));
}

export function reapByCpuText(summary: ArmSummary): string {
  return summary.reapByCpu.map((entry) => `cpu${entry.cpu ?? '?'}:n=${entry.count} median=${entry.medianMs.toFixed(2)}`).join(';');
}

export function summaryCsv(summaries: readonly ArmSummary[]): string {
  const bands = csvBands(summaries);
  const header = [
    'arm',
    'reaper_cpus',
    'rounds',
    'window_s',
    'launches',
    'failed',
    'cold',
    'warm',
    'hot',
    'cold_share',
    'total_ms_median',
    'total_ms_p90',
    'total_ms_p99',
    'wait_ms_median',
    'wait_ms_p90',
    'wait_ms_p99',
    'lmk_kills',
    'system_kills',
    ...bands.map((band) => `kills_${band}`),
    'reaped',
    'reap_esrch',
    'reap_ms_median',
    'reap_ms_p90',
    'reap_ms_max',
    'reap_ms_by_cpu',
    'reap_errors',
    'exit_ms_median',
    'exit_ms_p90',
    'freed_mb',
    'psi_some_ms',
    'psi_full_ms',
  ];
  const rows = summaries.map((s) =>
    [
      cell(s.arm),
      cell(s.reaperCpus),
      cell(s.rounds),
      cell(s.windowMs / 1000),
      cell(s.launches),
      cell(s.failed),
      cell(s.cold),
      cell(s.warm),
      cell(s.hot),
      cell(s.coldShare, 3),
      cell(s.totalTime?.median),
      cell(s.totalTime?.p90),
      cell(s.totalTime?.p99),
      cell(s.waitTime?.median),
      cell(s.waitTime?.p90),
      cell(s.waitTime?.p99),
      cell(s.lmkKills),
      s.systemKills === null ? 'not available' : cell(s.systemKills),
      ...bands.map((band) => cell(s.killsByBand[band])),
      cell(s.reap?.count ?? 0),
      cell(s.reapEsrch),
      cell(s.reap?.median, 2),
      cell(s.reap?.p90, 2),
      cell(s.reap?.max, 2),
      cell(reapByCpuText(s)),
      cell(s.reapErrors),
      cell(s.exit?.median),
      cell(s.exit?.p90),
      cell(s.freedKb / 1024),
      cell(s.psiSomeMs),
      cell(s.psiFullMs),
    ].join(','),
  );
  return `${[header.join(','), ...rows].join('\n')}\n`;
}

/** Reads summary.csv back (for tests and scripts): one object per row, header names as keys. Handles quoted cells. */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let value = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        value += '"';
        i++;
      } else if (c === '"') quoted = false;
      else value += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(value);
      value = '';
    } else if (c === '\n') {
      row.push(value);
      rows.push(row);
      row = [];
      value = '';
    } else if (c !== '\r') value += c;
  }
  if (value !== '' || row.length > 0) {
    row.push(value);
    rows.push(row);
  }
  const [header, ...body] = rows;
  if (!header) return [];
  return body.map((cells) => Object.fromEntries(header.map((name, index) => [name, cells[index] ?? ''])));
}
