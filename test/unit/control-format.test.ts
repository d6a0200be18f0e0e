import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatEvent, formatKillLine } from '../../src/event-format.js';
import { formatClock, viewKill } from '../../src/kill-view.js';
import { formatDuration, formatStatus } from '../../src/status-format.js';
import type { Status } from '../../src/control-protocol.js';
import { sampleKillRecord } from '../support/sample-records.js';

const record = sampleKillRecord();

const clock = /\d\d:\d\d:\d\d\.\d{3}/.source;

const status: Status = {
  version: '0.1.0',
  uptimeMs: 90_061_000,
  pid: 321,
  config: {},
  counters: { kills: 2, byBand: { previous: 1, cached: 1, home: 0 }, dryRunDecisions: 5, reapFailures: 0 },
  recentKills: [record, { ...record, pid: 7, name: 'com.example.game', dryRun: true, reap: null, freedKb: null }],
  psi: null,
  reaperCpus: [0, 1, 2, 3, 6],
  reaping: true,
  scope: 'cgroup /sys/fs/cgroup/apps',
};

describe('kill view', () => {
  it('formats times in local time and refuses nothing', () => {
    assert.match(formatClock('2025-01-02T03:04:05.678Z'), new RegExp(`^${clock}$`));
    assert.match(formatClock(Date.UTC(2025, 0, 1, 0, 0, 0, 5)), /\.005$/);
    assert.equal(formatClock('yesterday'), '--:--:--.---');
    assert.equal(formatClock(undefined), '--:--:--.---');
  });

  it('describes each reap outcome', () => {
    assert.equal(viewKill(record).reap, '4.2 ms on cpu 2');
    assert.equal(viewKill({ ...record, reap: { ms: 135.4, errno: null, cpu: null } }).reap, '135 ms');
    assert.equal(viewKill({ ...record, reap: { ms: 0.3, errno: 'ESRCH', cpu: 1 } }).reap, '0.3 ms, already exiting');
    assert.equal(viewKill({ ...record, reap: { ms: 0.1, errno: 'EINVAL', cpu: 1 } }).reap, 'failed: EINVAL');
    assert.equal(viewKill({ ...record, reap: null }).reap, 'not reaped');
  });

  it('shows missing fields as ?', () => {
    const view = viewKill({ pid: 'x' });
    assert.deepEqual([view.pid, view.name, view.adj, view.band, view.reason, view.freed], ['x', '?', '?', '?', '?', '?']);
    assert.equal(viewKill(null).name, '?');
  });
});

describe('formatEvent', () => {
  it('prints a kill on one line', () => {
    assert.match(formatEvent({ event: 'kill', record }), new RegExp(`^${clock} kill com\\.example\\.mail pid 12873 adj 905/cached LOW_MEM, reap 4\\.2 ms on cpu 2, freed 180224 kB$`));
    assert.match(formatKillLine({ ...record, dryRun: true }), / would kill com\.example\.mail pid 12873 adj 905\/cached LOW_MEM, freed 180224 kB$/);
  });

  it('prints pressure with its avg10 values', () => {
    assert.match(
      formatEvent({ event: 'pressure', time: '2025-01-02T03:04:05.000Z', trigger: 'full', psi: { someAvg10: 40, fullAvg10: 12.345 } }),
      new RegExp(`^${clock} pressure \\(full\\) avg10 some 40\\.00% full 12\\.35%$`),
    );
    assert.match(formatEvent({ event: 'pressure', psi: null }), /^--:--:--\.--- pressure PSI unreadable$/);
  });

  it('prints unknown events with their fields', () => {
    assert.equal(formatEvent({ event: 'reload', ok: true }), '--:--:--.--- reload {"ok":true}');
  });
});

describe('formatStatus', () => {
  it('summarizes the agent', () => {
    const text = formatStatus(status);
    assert.match(text, /^agent\s+pid 321, version 0\.1\.0, up 1d 01h 01m$/m);
    assert.match(text, /^scope\s+cgroup \/sys\/fs\/cgroup\/apps$/m);
    assert.match(text, /^reaping\s+process_mrelease, on CPUs 0-3,6$/m);
    assert.match(text, /^PSI now\s+unavailable$/m);
    assert.match(text, /^kills\s+2 \(dry-run decisions 5, reap failures 0\)$/m);
    assert.match(text, /^by band\s+cached 1, previous 1$/m);
    assert.match(text, /^\s+time\s+pid\s+name\s+adj\s+band\s+reason\s+reap\s+freed$/m);
    assert.match(text, new RegExp(`^\\s+${clock}\\s+12873\\s+com\\.example\\.mail\\s+905\\s+cached\\s+LOW_MEM\\s+4\\.2 ms on cpu 2\\s+180224 kB$`, 'm'));
    assert.match(text, /^\s+\S+\s+7\s+com\.example\.game \(dry run\)\s+905\s+cached\s+LOW_MEM\s+-\s+\?$/m);
    assert.ok(text.endsWith('\n'));
  });

  it('says when nothing was killed and nothing is reaped', () => {
    const text = formatStatus({ ...status, recentKills: [], reaping: false, counters: { ...status.counters, byBand: {} }, psi: { someAvg10: 0.5, fullAvg10: 0 } });
    assert.match(text, /^recent kills: none$/m);
    assert.match(text, /^reaping\s+off: process_mrelease unavailable, victims are only killed$/m);
    assert.match(text, /^by band\s+none$/m);
    assert.match(text, /^PSI now\s+avg10 some 0\.50% full 0\.00%$/m);
  });

  it('formats durations', () => {
    assert.equal(formatDuration(0), '0s');
    assert.equal(formatDuration(42_999), '42s');
    assert.equal(formatDuration(303_000), '5m 03s');
    assert.equal(formatDuration(3_723_000), '1h 02m 03s');
    assert.equal(formatDuration(183_840_000), '2d 03h 04m');
  });
});
