import type { Status } from './control-protocol.js';
import { formatCpuList } from './cpu-list.js';
import { formatPercent, viewKill } from './kill-view.js';

/** A duration as the largest units that matter: 42s, 5m 03s, 1h 02m 03s, 2d 03h 04m. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86400);
  const hours = Math.floor((total % 86400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const two = (n: number): string => String(n).padStart(2, '0');
  if (days > 0) return `${days}d ${two(hours)}h ${two(minutes)}m`;
  if (hours > 0) return `${hours}h ${two(minutes)}m ${two(seconds)}s`;
  if (minutes > 0) return `${minutes}m ${two(seconds)}s`;
  return `${seconds}s`;
}

function table(rows: readonly (readonly string[])[], indent: string): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));
  return rows.map((row) => indent + row.map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index] ?? 0))).join('  ').trimEnd());
}

function reaping(status: Status): string {
  if (!status.reaping) return 'off: process_mrelease unavailable, victims are only killed';
  const cpus = status.reaperCpus.length > 0 ? `on CPUs ${formatCpuList(status.reaperCpus)}` : 'threads not pinned';
  return `process_mrelease, ${cpus}`;
}

function byBand(counts: Readonly<Record<string, number>>): string {
  const entries = Object.entries(counts).filter(([, n]) => n > 0);
  if (entries.length === 0) return 'none';
  return entries
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([band, n]) => `${band} ${n}`)
    .join(', ');
}

/** The agent's status as a readable summary, ending in a newline. */
export function formatStatus(status: Status): string {
  const { counters } = status;
  const psi = status.psi ? `avg10 some ${formatPercent(status.psi.someAvg10)} full ${formatPercent(status.psi.fullAvg10)}` : 'unavailable';
  const rows: [string, string][] = [
    ['agent', `pid ${status.pid}, version ${status.version}, up ${formatDuration(status.uptimeMs)}`],
    ['scope', status.scope],
    ['reaping', reaping(status)],
    ['PSI now', psi],
    ['kills', `${counters.kills} (dry-run decisions ${counters.dryRunDecisions}, reap failures ${counters.reapFailures})`],
    ['by band', byBand(counters.byBand)],
  ];
  const lines = table(rows, '');
  if (status.recentKills.length === 0) {
    lines.push('', 'recent kills: none');
  } else {
    lines.push('', 'recent kills:');
    const header = ['time', 'pid', 'name', 'adj', 'band', 'reason', 'reap', 'freed'];
    const kills = status.recentKills.map((record) => {
      const kill = viewKill(record);
      return [kill.time, kill.pid, kill.dryRun ? `${kill.name} (dry run)` : kill.name, kill.adj, kill.band, kill.reason, kill.dryRun ? '-' : kill.reap, kill.freed];
    });
    lines.push(...table([header, ...kills], '  '));
  }
  return `${lines.join('\n')}\n`;
}
