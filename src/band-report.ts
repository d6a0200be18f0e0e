import { z } from 'zod';
import { BAND_NAMES, type BandName } from './bands.js';
import { formatClock } from './kill-view.js';

/**
 * `lmk-agent bands --json`: every process of the device by Android importance band, and how the
 * host shows it. Also the band-count line `lmk watch` prints.
 */

export const BandProcessSchema = z.looseObject({
  pid: z.int().positive(),
  adj: z.int().min(-1000).max(1000),
  band: z.enum(BAND_NAMES),
  uid: z.int().min(0),
  /** argv[0] (an app's package name), else comm. */
  name: z.string(),
  rssKb: z.number().nonnegative(),
  swapKb: z.number().nonnegative(),
});
export type BandProcess = z.infer<typeof BandProcessSchema>;

/** Process count per band; bands with none are left out. */
export const BandCountsSchema = z.partialRecord(z.enum(BAND_NAMES), z.int().nonnegative());
export type BandCounts = z.infer<typeof BandCountsSchema>;

export const BandReportSchema = z.looseObject({
  time: z.iso.datetime({ offset: true }),
  /** Highest oom_score_adj first. */
  processes: z.array(BandProcessSchema),
  counts: BandCountsSchema,
  /** Processes that vanished or had unreadable text while being read: left out. */
  skipped: z.int().nonnegative(),
});
export type BandReport = z.infer<typeof BandReportSchema>;

/** The streamed line `lmk-agent watch` adds between events: the agent's band counts now. */
export const BandsEventSchema = z.looseObject({
  event: z.literal('bands'),
  time: z.iso.datetime({ offset: true }),
  bands: BandCountsSchema,
});
export type BandsEvent = z.infer<typeof BandsEventSchema>;

/** Highest adj first (the first to be killed), then largest RSS, then pid. */
export function compareBandProcesses(a: BandProcess, b: BandProcess): number {
  return b.adj - a.adj || b.rssKb - a.rssKb || a.pid - b.pid;
}

/** Counts per band of a process list. */
export function countBands(processes: readonly { readonly band: BandName }[]): BandCounts {
  const counts: BandCounts = {};
  for (const { band } of processes) counts[band] = (counts[band] ?? 0) + 1;
  return counts;
}

/** "cached 3, previous 1, home 1, foreground 2": least important band first (as they are killed), empty bands left out. */
export function formatBandCounts(counts: Readonly<Partial<Record<string, number>>>): string {
  const parts = [...BAND_NAMES]
    .reverse()
    .filter((band) => (counts[band] ?? 0) > 0)
    .map((band) => `${band} ${counts[band]}`);
  // Bands a newer agent knows and this CLI does not.
  for (const [band, n] of Object.entries(counts)) {
    if (!(BAND_NAMES as readonly string[]).includes(band) && typeof n === 'number' && n > 0) parts.push(`${band} ${n}`);
  }
  return parts.length === 0 ? 'no processes' : parts.join(', ');
}

/** One `lmk watch` line: "12:00:05.000 bands: cached 3, previous 1, foreground 2". */
export function formatBandsEvent(event: { readonly time?: unknown; readonly bands: Readonly<Partial<Record<string, number>>> }): string {
  return `${formatClock(event.time)} bands: ${formatBandCounts(event.bands)}`;
}

/** kB as MB with one decimal: 180224 kB → "176.0". */
export function formatMb(kb: number): string {
  return (kb / 1024).toFixed(1);
}

function table(rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, index) => {
        if (index === row.length - 1) return cell;
        const width = widths[index] ?? 0;
        return rightAligned.has(index) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd(),
  );
}

/**
 * The report as a table (band, adj, pid, uid, RSS MB, name), highest adj first, then a line of
 * counts and totals. Ends in a newline.
 */
export function formatBandReport(report: BandReport): string {
  const processes = [...report.processes].sort(compareBandProcesses);
  const header = ['BAND', 'ADJ', 'PID', 'UID', 'RSS MB', 'NAME'];
  const rows = processes.map((p) => [p.band, String(p.adj), String(p.pid), String(p.uid), formatMb(p.rssKb), p.name]);
  const lines = table([header, ...rows], new Set([1, 2, 3, 4]));
  const totalKb = processes.reduce((sum, p) => sum + p.rssKb, 0);
  lines.push('', `${processes.length} processes, ${formatMb(totalKb)} MB RSS: ${formatBandCounts(report.counts)}`);
  if (report.skipped > 0) lines.push(`(${report.skipped} left out: they exited or could not be read while scanning)`);
  return `${lines.join('\n')}\n`;
}
