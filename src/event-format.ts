import type { StreamMessage } from './control-protocol.js';
import { formatClock, formatPercent, viewKill } from './kill-view.js';

/** A kill record as one line: time, name, pid, adj/band, reason, reap, freed. */
export function formatKillLine(record: unknown): string {
  const kill = viewKill(record);
  const verb = kill.dryRun ? 'would kill' : 'kill';
  const reap = kill.dryRun ? '' : `, reap ${kill.reap}`;
  return `${kill.time} ${verb} ${kill.name} pid ${kill.pid} adj ${kill.adj}/${kill.band} ${kill.reason}${reap}, freed ${kill.freed}`;
}

function field(message: StreamMessage, key: string): unknown {
  return (message as Record<string, unknown>)[key];
}

function pressureText(psi: unknown): string {
  if (typeof psi !== 'object' || psi === null) return 'PSI unreadable';
  const { someAvg10, fullAvg10 } = psi as Record<string, unknown>;
  return `avg10 some ${formatPercent(someAvg10)} full ${formatPercent(fullAvg10)}`;
}

/**
 * One readable line per streamed event, for `lmk watch`:
 *   12:00:01.000 pressure (some) avg10 some 12.34% full 1.23%
 *   12:00:01.123 kill com.example.mail pid 12873 adj 905/cached LOW_MEM, reap 35 ms on cpu 1, freed 180224 kB
 * Events this CLI does not know are shown with their fields as JSON.
 */
export function formatEvent(message: StreamMessage): string {
  switch (message.event) {
    case 'kill':
      return formatKillLine(field(message, 'record'));
    case 'pressure': {
      const trigger = field(message, 'trigger');
      const kind = typeof trigger === 'string' ? ` (${trigger})` : '';
      return `${formatClock(field(message, 'time'))} pressure${kind} ${pressureText(field(message, 'psi'))}`;
    }
    default: {
      const { event, time, ...rest } = message as Record<string, unknown>;
      const details = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
      return `${formatClock(time)} ${String(event)}${details}`;
    }
  }
}
