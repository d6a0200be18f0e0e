import type { ExperimentRecord, LaunchRecord, RunRecord } from '../../src/experiment-record.js';
import { sampleKillRecord } from './sample-records.js';

/**
 * A small constructed run of two arms (lmk with the reaper on CPU 0, and no lmk) over two
 * rounds of two apps, as records.jsonl lines: windows, launches (one failed, one background),
 * lmk kills (one reaped, one ESRCH, one failed reap), a kill by the phone's own killer, and PSI
 * samples every 500 ms. Times start at T0.
 */
export const T0 = 1_700_000_000_000;

export function sampleRun(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    type: 'run',
    version: 1,
    t: T0,
    name: 'sample',
    serial: 'NX5TEST',
    spec: {
      apps: [
        { package: 'com.example.mail', activity: '.Main' },
        { package: 'com.example.maps', activity: '.Main' },
      ],
      rounds: 2,
      pauseMs: 500,
      settleMs: 500,
      psi: { intervalMs: 500 },
      arms: [
        { name: 'cpu0', config: { reaper: { cpus: [0] } } },
        { name: 'none', config: null },
      ],
    },
    reaperCpus: { cpu0: '0', none: '-' },
    psiSource: '/proc/pressure/memory',
    logcat: 'available',
    deviceClockOffsetMs: 0,
    deviceUptimeOffsetMs: -T0 + 5_000_000,
    agentBefore: null,
    ...overrides,
  };
}

function launch(arm: string, round: number, t: number, pkg: string, state: 'COLD' | 'WARM', totalTimeMs: number, extra: Partial<LaunchRecord> = {}): LaunchRecord {
  return { type: 'launch', t, arm, round, package: pkg, activity: '.Main', background: false, ok: true, launchState: state, totalTimeMs, waitTimeMs: totalTimeMs + 3, wallMs: totalTimeMs + 40, error: null, ...extra };
}

export function sampleRecords(): ExperimentRecord[] {
  const records: ExperimentRecord[] = [sampleRun()];
  // Windows: cpu0 r1 [1000, 5000], none r1 [6000, 10000], cpu0 r2 [11000, 15000], none r2 [16000, 20000].
  const windows = [
    ['cpu0', 1, 1000],
    ['none', 1, 6000],
    ['cpu0', 2, 11000],
    ['none', 2, 16000],
  ] as const;
  for (const [arm, round, start] of windows) {
    records.push({ type: 'arm-start', t: T0 + start, arm, round, agentPid: arm === 'cpu0' ? 100 + round : null });
    records.push({ type: 'arm-end', t: T0 + start + 4000, arm, round });
  }
  records.push(
    launch('cpu0', 1, T0 + 1500, 'com.example.mail', 'COLD', 800),
    launch('cpu0', 1, T0 + 2500, 'com.example.maps', 'COLD', 1200),
    launch('none', 1, T0 + 6500, 'com.example.mail', 'WARM', 200),
    launch('none', 1, T0 + 7500, 'com.example.maps', 'COLD', 1500),
    launch('cpu0', 2, T0 + 11200, 'com.example.notes', 'COLD', 300, { background: true }),
    launch('cpu0', 2, T0 + 11500, 'com.example.mail', 'WARM', 150),
    launch('cpu0', 2, T0 + 12500, 'com.example.maps', 'COLD', 1000),
    launch('none', 2, T0 + 16500, 'com.example.mail', 'COLD', 900),
    launch('none', 2, T0 + 17500, 'com.example.maps', 'COLD', 0, { ok: false, launchState: null, totalTimeMs: null, waitTimeMs: null, error: 'Activity not started' }),
  );
  const kill = (t: number, round: number, pid: number, adj: number, band: 'cached' | 'previous', reap: { ms: number; errno: string | null; cpu: number }, exitMs: number) =>
    records.push({ type: 'kill', source: 'lmk', t, arm: 'cpu0', round, record: sampleKillRecord({ pid, adj, band, reap, exitMs, freedKb: 102400, time: new Date(t).toISOString() }) });
  kill(T0 + 2000, 1, 201, 905, 'cached', { ms: 4, errno: null, cpu: 0 }, 30);
  kill(T0 + 3000, 1, 202, 700, 'previous', { ms: 0.2, errno: 'ESRCH', cpu: 0 }, 50);
  kill(T0 + 12000, 2, 203, 910, 'cached', { ms: 6, errno: null, cpu: 0 }, 40);
  kill(T0 + 13000, 2, 204, 920, 'cached', { ms: 1, errno: 'EINVAL', cpu: 0 }, 60);
  records.push({ type: 'kill', source: 'system', t: T0 + 8000, arm: 'none', round: 1, pid: 301, uid: 10105, name: 'com.example.news', adj: 905, minAdj: 701, rssKb: 184320, swapKb: 20480, reason: 'LOW_MEM' });
  // PSI every 500 ms from 0 to 20500: some grows 10 ms per sample inside cpu0 windows and 20 ms inside none windows.
  let some = 1_000_000;
  let full = 500_000;
  for (let t = 0; t <= 20500; t += 500) {
    const inside = windows.find(([, , start]) => t >= start && t <= start + 4000);
    if (inside) {
      some += inside[0] === 'cpu0' ? 10_000 : 20_000;
      full += inside[0] === 'cpu0' ? 1_000 : 2_000;
    }
    records.push({ type: 'psi', t: T0 + t, arm: inside?.[0] ?? null, round: inside?.[1] ?? null, some: { avg10: inside ? 5 : 0, totalUs: some }, full: { avg10: inside ? 1 : 0, totalUs: full } });
  }
  records.push({ type: 'end', t: T0 + 21000, complete: true, reason: null });
  return records;
}

export function sampleRecordsText(): string {
  return sampleRecords()
    .map((record) => JSON.stringify(record))
    .join('\n');
}
