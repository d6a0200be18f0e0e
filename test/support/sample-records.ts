import type { KillRecord } from '../../src/kill-record.js';

/** A complete, valid kill record as the agent writes it; tests override what they look at. */
export function sampleKillRecord(overrides: Partial<KillRecord> = {}): KillRecord {
  return {
    event: 'kill',
    time: '2025-01-02T03:04:05.678Z',
    pid: 12873,
    uid: 10123,
    name: 'com.example.mail',
    adj: 905,
    band: 'cached',
    minAdj: 701,
    reason: 'LOW_MEM',
    description: 'low watermark is breached',
    rssKb: 180000,
    swapKb: 0,
    psi: { someAvg10: 12.5, fullAvg10: 1.25 },
    killMs: 1.5,
    reap: { ms: 4.24, errno: null, cpu: 2 },
    freedKb: 180224,
    exitMs: 40,
    dryRun: false,
    ...overrides,
  };
}
