import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KillRecordSchema, LogEventSchema, PressureEventSchema, type KillRecord } from '../../src/kill-record.js';

const record: KillRecord = {
  event: 'kill',
  time: '2025-06-01T12:34:56.789Z',
  pid: 12345,
  uid: 10187,
  name: 'com.spotify.music',
  adj: 950,
  band: 'cached',
  minAdj: 701,
  reason: 'LOW_MEM',
  description: 'low watermark is breached',
  rssKb: 212_344,
  swapKb: 50_120,
  psi: { someAvg10: 12.5, fullAvg10: 3.1 },
  killMs: 0.8,
  reap: { ms: 41.2, errno: null, cpu: 1 },
  freedKb: 260_000,
  exitMs: 63.5,
  dryRun: false,
};

describe('KillRecordSchema', () => {
  it('accepts a kill record, and a dry-run one with nothing measured', () => {
    assert.deepEqual(KillRecordSchema.parse(record), record);
    const dry = { ...record, reap: null, freedKb: null, exitMs: null, killMs: 0, dryRun: true };
    assert.deepEqual(KillRecordSchema.parse(dry), dry);
  });

  it('accepts ESRCH from the reaper and an unknown CPU', () => {
    const reap = { ms: 0.1, errno: 'ESRCH', cpu: null };
    assert.deepEqual(KillRecordSchema.parse({ ...record, reap }).reap, reap);
  });

  it('survives logger fields (a pino line)', () => {
    assert.equal(KillRecordSchema.safeParse({ ...record, level: 30, msg: 'kill' }).success, true);
  });

  it('refuses what is not one', () => {
    assert.equal(KillRecordSchema.safeParse({ ...record, reason: 'OOM' }).success, false);
    assert.equal(KillRecordSchema.safeParse({ ...record, band: 'background' }).success, false);
    assert.equal(KillRecordSchema.safeParse({ ...record, time: 'yesterday' }).success, false);
    assert.equal(KillRecordSchema.safeParse({ ...record, adj: 1001 }).success, false);
    const { exitMs: _, ...missing } = record;
    assert.equal(KillRecordSchema.safeParse(missing).success, false);
  });
});

describe('PressureEventSchema', () => {
  it('accepts a PSI event and tells it from a kill in one log', () => {
    const event = { event: 'pressure', time: '2025-06-01T12:34:56.700+02:00', trigger: 'some', psi: { someAvg10: 9.8, fullAvg10: 1.2 } };
    assert.deepEqual(PressureEventSchema.parse(event), event);
    assert.equal(LogEventSchema.parse(event).event, 'pressure');
    assert.equal(LogEventSchema.parse(record).event, 'kill');
    assert.equal(PressureEventSchema.safeParse({ ...event, trigger: 'poll' }).success, false);
  });
});
