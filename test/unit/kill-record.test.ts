import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KillRecordSchema, LogEventSchema, PressureEventSchema, type KillRecord } from '../../src/kill-record.js';
import { sampleKillRecord } from '../support/sample-records.js';

const record: KillRecord = sampleKillRecord({ name: 'com.spotify.music', adj: 950, swapKb: 50_120, exitMs: 63.5 });

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
