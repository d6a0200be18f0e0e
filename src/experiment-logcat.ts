/**
 * The phone's own low-memory killer (stock lmkd) as logcat shows it, read with
 * `logcat -d -v epoch -b main,system,events -s lowmemorykiller killinfo`:
 *
 *   1700000123.456  1234  1234 I lowmemorykiller: Kill 'com.example.news' (4567), uid 10105, oom_score_adj 905 to free 184320kB rss, 20480kB swap; reason: low watermark is breached
 *   1700000123.457  1234  1234 I killinfo: [4567,10105,905,701,184320,8,…]
 *
 * The lowmemorykiller line names the victim; the killinfo event (tag 10195355, 38 fields in
 * lmkd's killinfo_log order) carries the reason enum and the PSI of the moment. One kill
 * usually shows as both; they are merged by pid.
 */

/** lmkd's kill_reason enum (statslog.h), by value. */
export const LMKD_KILL_REASONS: Readonly<Record<number, string>> = {
  0: 'PRESSURE_AFTER_KILL',
  1: 'NOT_RESPONDING',
  2: 'LOW_SWAP_AND_THRASHING',
  3: 'LOW_MEM_AND_SWAP',
  4: 'LOW_MEM_AND_THRASHING',
  5: 'DIRECT_RECL_AND_THRASHING',
  6: 'LOW_MEM_AND_SWAP_UTIL',
  7: 'LOW_FILECACHE_AFTER_THRASHING',
  8: 'LOW_MEM',
  9: 'DIRECT_RECL_STUCK',
};

/** One kill by the phone's own killer. */
export interface SystemKill {
  /** Device wall-clock time of the log line, ms since the epoch. */
  readonly deviceTimeMs: number;
  readonly pid: number;
  readonly uid: number | null;
  readonly name: string | null;
  readonly adj: number;
  readonly minAdj: number | null;
  readonly rssKb: number | null;
  readonly swapKb: number | null;
  /** The enum name from killinfo, or the text after "reason:" from the log line. */
  readonly reason: string | null;
  readonly psiSomeAvg10: number | null;
  readonly psiFullAvg10: number | null;
  /** Which lines it was read from. */
  readonly sources: ReadonlyArray<'lowmemorykiller' | 'killinfo'>;
}

/** `-v epoch`: "  1700000123.456  1234  1234 I tag: message"; a `-v uid` column may sit before the pid. */
const EPOCH_LINE = /^\s*(\d{1,12})\.(\d{3,9})\s+(?:\S+\s+)?(\d+)\s+(\d+)\s+[VDIWEFA]\s+([^:]+?)\s*: (.*)$/;

/** lmkd since Android 11: Kill 'NAME' (PID), uid UID, oom_score_adj ADJ to free RSSkB rss, SWAPkB swap; reason: DESC */
const KILL = /^Kill '([^']*)' \((\d+)\), uid (\d+), oom_score_adj (-?\d+) to free (\d+)kB rss(?:, (\d+)kB swap)?(?:; reason: (.*))?$/;
/** lmkd of Android 9/10: Killing 'NAME' (PID), uid UID, adj ADJ …  to free RSSkB … */
const KILLING = /^Killing '([^']*)' \((\d+)\), uid (\d+), adj (-?\d+)(?:.*?to free (\d+)kB)?/;

interface LogLine {
  readonly timeMs: number;
  readonly tag: string;
  readonly message: string;
}

function parseLine(line: string): LogLine | undefined {
  const match = EPOCH_LINE.exec(line.replace(/\r$/, ''));
  if (!match) return undefined;
  const fraction = (match[2] ?? '0').padEnd(3, '0').slice(0, 3);
  return { timeMs: Number(match[1]) * 1000 + Number(fraction), tag: match[5] ?? '', message: match[6] ?? '' };
}

function num(text: string | undefined): number | null {
  if (text === undefined || text.trim() === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

function fromKillLine(time: number, message: string): SystemKill | undefined {
  const kill = KILL.exec(message);
  if (kill) {
    return {
      deviceTimeMs: time,
      pid: Number(kill[2]),
      uid: Number(kill[3]),
      name: kill[1] ?? null,
      adj: Number(kill[4]),
      minAdj: null,
      rssKb: Number(kill[5]),
      swapKb: num(kill[6]),
      reason: kill[7]?.trim() || null,
      psiSomeAvg10: null,
      psiFullAvg10: null,
      sources: ['lowmemorykiller'],
    };
  }
  const old = KILLING.exec(message);
  if (!old) return undefined;
  return {
    deviceTimeMs: time,
    pid: Number(old[2]),
    uid: Number(old[3]),
    name: old[1] ?? null,
    adj: Number(old[4]),
    minAdj: null,
    rssKb: num(old[5]),
    swapKb: null,
    reason: null,
    psiSomeAvg10: null,
    psiFullAvg10: null,
    sources: ['lowmemorykiller'],
  };
}

/** killinfo fields by index (lmkd killinfo_log order). */
const KI = { pid: 0, uid: 1, adj: 2, minAdj: 3, rssKb: 4, reason: 5, swapKb: 29, psiSome: 33, psiFull: 34 } as const;

function fromKillinfo(time: number, message: string): SystemKill | undefined {
  const body = /^\[(.*)\]$/.exec(message.trim())?.[1];
  if (body === undefined) return undefined;
  const fields = body.split(',').map((text) => num(text));
  const pid = fields[KI.pid];
  const adj = fields[KI.adj];
  if (pid === undefined || pid === null || adj === undefined || adj === null) return undefined;
  const reasonCode = fields[KI.reason];
  return {
    deviceTimeMs: time,
    pid,
    uid: fields[KI.uid] ?? null,
    name: null,
    adj,
    minAdj: fields[KI.minAdj] ?? null,
    rssKb: fields[KI.rssKb] ?? null,
    swapKb: fields[KI.swapKb] ?? null,
    reason: reasonCode === undefined || reasonCode === null ? null : (LMKD_KILL_REASONS[reasonCode] ?? (reasonCode >= 1000 ? `VENDOR_${reasonCode}` : String(reasonCode))),
    psiSomeAvg10: fields[KI.psiSome] ?? null,
    psiFullAvg10: fields[KI.psiFull] ?? null,
    sources: ['killinfo'],
  };
}

/** The two views of one kill as one: the log line's name and text, killinfo's numbers. */
function merge(line: SystemKill, info: SystemKill): SystemKill {
  return {
    deviceTimeMs: Math.min(line.deviceTimeMs, info.deviceTimeMs),
    pid: line.pid,
    uid: line.uid ?? info.uid,
    name: line.name,
    adj: line.adj,
    minAdj: info.minAdj,
    rssKb: line.rssKb ?? info.rssKb,
    swapKb: line.swapKb ?? info.swapKb,
    reason: info.reason ?? line.reason,
    psiSomeAvg10: info.psiSomeAvg10,
    psiFullAvg10: info.psiFullAvg10,
    sources: ['lowmemorykiller', 'killinfo'],
  };
}

/** Lines of one kill are written within this of each other. */
const SAME_KILL_MS = 2000;

/** Kills in logcat output, oldest first; other lines ("--------- beginning of main", other tags) are ignored. */
export function parseSystemKills(output: string): SystemKill[] {
  const kills: SystemKill[] = [];
  for (const raw of output.split('\n')) {
    const line = parseLine(raw);
    if (!line) continue;
    const kill = line.tag === 'lowmemorykiller' ? fromKillLine(line.timeMs, line.message) : line.tag === 'killinfo' ? fromKillinfo(line.timeMs, line.message) : undefined;
    if (!kill) continue;
    const twin = kills.findIndex(
      (other) => other.pid === kill.pid && Math.abs(other.deviceTimeMs - kill.deviceTimeMs) <= SAME_KILL_MS && other.sources.length === 1 && other.sources[0] !== kill.sources[0],
    );
    if (twin >= 0) {
      const other = kills[twin]!;
      kills[twin] = kill.sources[0] === 'lowmemorykiller' ? merge(kill, other) : merge(other, kill);
    } else {
      kills.push(kill);
    }
  }
  return kills.sort((a, b) => a.deviceTimeMs - b.deviceTimeMs);
}

/** Identifies a kill across repeated reads of the same log buffer. */
export function systemKillKey(kill: SystemKill): string {
  return `${kill.pid}@${Math.floor(kill.deviceTimeMs / SAME_KILL_MS)}`;
}
