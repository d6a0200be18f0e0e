/**
 * A kill record as display text, read tolerantly: the record comes from an agent that may be
 * older or newer than this CLI, so a missing or odd field shows as "?" instead of failing.
 */
export interface KillView {
  /** Local wall-clock time, HH:MM:SS.mmm. */
  readonly time: string;
  readonly pid: string;
  readonly name: string;
  readonly adj: string;
  readonly band: string;
  readonly reason: string;
  /** "35 ms on cpu 1", "4.2 ms, already exiting", "failed: EINVAL", "not reaped". */
  readonly reap: string;
  /** "180224 kB" */
  readonly freed: string;
  readonly dryRun: boolean;
}

function field(record: unknown, key: string): unknown {
  return typeof record === 'object' && record !== null && !Array.isArray(record) ? (record as Record<string, unknown>)[key] : undefined;
}

function text(value: unknown): string {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return '?';
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** An ISO time or epoch milliseconds as local HH:MM:SS.mmm; "--:--:--.---" when it is neither. */
export function formatClock(time: unknown): string {
  const date = typeof time === 'string' || typeof time === 'number' ? new Date(time) : undefined;
  if (!date || Number.isNaN(date.getTime())) return '--:--:--.---';
  return `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

/** Milliseconds with a decimal when short: 4.2, 35, 1204. */
export function formatMs(ms: number): string {
  return ms < 10 ? ms.toFixed(1) : ms.toFixed(0);
}

/** A percentage from PSI: 12.34%. */
export function formatPercent(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? `${value.toFixed(2)}%` : '?';
}

function formatReap(reap: unknown): string {
  if (reap === null || reap === undefined) return 'not reaped';
  const ms = field(reap, 'ms');
  const errno = field(reap, 'errno');
  const cpu = field(reap, 'cpu');
  const duration = typeof ms === 'number' && Number.isFinite(ms) ? `${formatMs(ms)} ms` : '? ms';
  if (errno === 'ESRCH') return `${duration}, already exiting`;
  if (errno !== null && errno !== undefined && errno !== 0) return `failed: ${text(errno)}`;
  return typeof cpu === 'number' ? `${duration} on cpu ${cpu}` : duration;
}

export function viewKill(record: unknown): KillView {
  const freedKb = field(record, 'freedKb');
  return {
    time: formatClock(field(record, 'time')),
    pid: text(field(record, 'pid')),
    name: text(field(record, 'name')),
    adj: text(field(record, 'adj')),
    band: text(field(record, 'band')),
    reason: text(field(record, 'reason')),
    reap: formatReap(field(record, 'reap')),
    freed: typeof freedKb === 'number' && Number.isFinite(freedKb) ? `${freedKb} kB` : '?',
    dryRun: field(record, 'dryRun') === true,
  };
}
