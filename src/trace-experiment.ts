import type { ExperimentRecords } from './experiment-record.js';
import { armWindows } from './experiment-windows.js';
import { micros, processName, threadName, type TraceEvent, type TraceFile } from './trace-format.js';

/**
 * An experiment's records as a Chrome/Perfetto JSON trace: launches as slices (one track per
 * arm, plus a track of the arms' windows), kills as instant events (one track for lmk, one for
 * the phone's own killer), PSI as counter tracks (avg10 in %, and stall ms per second from the
 * kernel's cumulative totals). Timestamps are the device's boot time (CLOCK_BOOTTIME, from
 * /proc/uptime) when it was read, so the file lines up with a system trace of the same phone;
 * otherwise microseconds since the run started.
 */

export const TRACE_PIDS = { experiment: 1, kills: 2, psi: 3 } as const;
/** Threads of the kills process. */
export const KILL_TIDS = { lmk: 1, system: 2 } as const;

export function experimentTrace(records: ExperimentRecords): TraceFile {
  const { run } = records;
  const offset = run.deviceUptimeOffsetMs ?? -run.t;
  const ts = (hostMs: number): number => micros(hostMs + offset);
  const arms = run.spec.arms.map((arm) => arm.name);
  const armTid = (arm: string): number => arms.indexOf(arm) + 1;
  const events: TraceEvent[] = [
    ...processName(TRACE_PIDS.experiment, `lmk experiment ${run.name} (${run.serial})`, 1),
    ...threadName(TRACE_PIDS.experiment, 0, 'arms'),
    ...arms.flatMap((arm) => threadName(TRACE_PIDS.experiment, armTid(arm), `launches: ${arm}`)),
    ...processName(TRACE_PIDS.kills, 'kills', 2),
    ...threadName(TRACE_PIDS.kills, KILL_TIDS.lmk, 'lmk'),
    ...threadName(TRACE_PIDS.kills, KILL_TIDS.system, "phone's killer (lowmemorykiller)"),
    ...processName(TRACE_PIDS.psi, `memory PSI${run.psiSource ? ` (${run.psiSource})` : ''}`, 3),
  ];

  for (const window of armWindows(records)) {
    events.push({ ph: 'X', name: `${window.arm} round ${window.round}`, cat: 'arm', pid: TRACE_PIDS.experiment, tid: 0, ts: ts(window.start), dur: micros(Math.max(0, window.end - window.start)), args: { arm: window.arm, round: window.round, complete: window.closed } });
  }

  for (const launch of records.launches) {
    const state = launch.ok ? (launch.launchState ?? 'launch') : 'FAILED';
    events.push({
      ph: 'X',
      name: `${launch.package} ${state}`,
      cat: launch.background ? 'launch,background' : 'launch',
      pid: TRACE_PIDS.experiment,
      tid: armTid(launch.arm),
      ts: ts(launch.t),
      // ActivityManager's own measure when there is one, else the round trip of am start.
      dur: micros(launch.totalTimeMs ?? launch.waitTimeMs ?? launch.wallMs),
      args: {
        arm: launch.arm,
        round: launch.round,
        activity: launch.activity,
        launchState: launch.launchState,
        totalTimeMs: launch.totalTimeMs,
        waitTimeMs: launch.waitTimeMs,
        wallMs: launch.wallMs,
        background: launch.background,
        error: launch.error,
      },
    });
  }

  for (const kill of records.lmkKills) {
    const r = kill.record;
    events.push({
      ph: 'i',
      s: 't',
      name: `kill ${r.name}`,
      cat: 'kill,lmk',
      pid: TRACE_PIDS.kills,
      tid: KILL_TIDS.lmk,
      ts: ts(kill.t),
      args: { arm: kill.arm, round: kill.round, pid: r.pid, uid: r.uid, adj: r.adj, band: r.band, reason: r.reason, rssKb: r.rssKb, swapKb: r.swapKb, reapMs: r.reap?.ms ?? null, reapCpu: r.reap?.cpu ?? null, reapErrno: r.reap?.errno ?? null, freedKb: r.freedKb, exitMs: r.exitMs, dryRun: r.dryRun },
    });
  }
  for (const kill of records.systemKills) {
    events.push({
      ph: 'i',
      s: 't',
      name: `kill ${kill.name ?? `pid ${kill.pid}`}`,
      cat: 'kill,system',
      pid: TRACE_PIDS.kills,
      tid: KILL_TIDS.system,
      ts: ts(kill.t),
      args: { arm: kill.arm, round: kill.round, pid: kill.pid, uid: kill.uid, adj: kill.adj, minAdj: kill.minAdj, rssKb: kill.rssKb, swapKb: kill.swapKb, reason: kill.reason },
    });
  }

  const samples = [...records.psi].sort((a, b) => a.t - b.t);
  samples.forEach((sample, index) => {
    events.push({ ph: 'C', name: 'memory PSI avg10 %', pid: TRACE_PIDS.psi, ts: ts(sample.t), args: { some: sample.some.avg10, ...(sample.full ? { full: sample.full.avg10 } : {}) } });
    const previous = samples[index - 1];
    if (!previous || sample.t <= previous.t) return;
    const seconds = (sample.t - previous.t) / 1000;
    const rate = (now: number, before: number): number => Math.round((Math.max(0, now - before) / 1000 / seconds) * 100) / 100;
    events.push({
      ph: 'C',
      name: 'memory stall ms/s',
      pid: TRACE_PIDS.psi,
      ts: ts(sample.t),
      args: { some: rate(sample.some.totalUs, previous.some.totalUs), ...(sample.full && previous.full ? { full: rate(sample.full.totalUs, previous.full.totalUs) } : {}) },
    });
  });

  return {
    traceEvents: events,
    displayTimeUnit: 'ms',
    otherData: {
      experiment: run.name,
      serial: run.serial,
      clock: run.deviceUptimeOffsetMs === null ? 'microseconds since the run started' : 'device CLOCK_BOOTTIME (from /proc/uptime)',
      startedAt: new Date(run.t).toISOString(),
    },
  };
}
