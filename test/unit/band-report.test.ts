import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BandReportSchema, compareBandProcesses, countBands, formatBandCounts, formatBandReport, formatBandsEvent, type BandProcess } from '../../src/band-report.js';

function proc(pid: number, adj: number, band: BandProcess['band'], name: string, rssKb: number, uid = 10000 + pid): BandProcess {
  return { pid, adj, band, uid, name, rssKb, swapKb: 0 };
}

const processes = [
  proc(1, 0, 'foreground', '/init', 2048, 0),
  proc(301, 600, 'home', 'com.android.launcher3', 81920),
  proc(402, 900, 'cached', 'com.example.mail', 225280),
  proc(403, 910, 'cached', 'com.example.maps', 389120),
  proc(404, 700, 'previous', 'com.example.camera', 307200),
  proc(405, 900, 'cached', 'com.example.news', 409600),
];

describe('band counts', () => {
  it('are listed least important band first, empty ones left out', () => {
    assert.equal(formatBandCounts(countBands(processes)), 'cached 3, previous 1, home 1, foreground 1');
    assert.equal(formatBandCounts({}), 'no processes');
    assert.equal(formatBandCounts({ cached: 0, foreground: 2 }), 'foreground 2');
  });

  it('keep a band this CLI does not know, at the end', () => {
    assert.equal(formatBandCounts({ cached: 1, future: 2 }), 'cached 1, future 2');
  });

  it('make one watch line with the local time', () => {
    assert.match(formatBandsEvent({ time: '2025-01-02T03:04:05.678Z', bands: { cached: 2, home: 1 } }), /^\d\d:\d\d:\d\d\.678 bands: cached 2, home 1$/);
  });
});

describe('the bands table', () => {
  it('sorts by adj descending, then RSS, and aligns the numbers', () => {
    const sorted = [...processes].sort(compareBandProcesses).map((p) => p.pid);
    assert.deepEqual(sorted, [403, 405, 402, 404, 301, 1]);
    const report = BandReportSchema.parse({ time: '2025-01-02T03:04:05.678Z', processes, counts: countBands(processes), skipped: 2 });
    const lines = formatBandReport(report).split('\n');
    assert.deepEqual(lines.slice(0, 3), [
      'BAND        ADJ  PID    UID  RSS MB  NAME',
      'cached      910  403  10403   380.0  com.example.maps',
      'cached      900  405  10405   400.0  com.example.news',
    ]);
    assert.equal(lines[6], 'foreground    0    1      0     2.0  /init');
    assert.equal(lines[8], '6 processes, 1382.0 MB RSS: cached 3, previous 1, home 1, foreground 1');
    assert.match(lines[9] ?? '', /^\(2 left out/);
  });

  it('refuses a report with an adj outside the kernel range or an unknown band', () => {
    const bad = { time: '2025-01-02T03:04:05.678Z', processes: [{ ...processes[0], adj: 1001 }], counts: {}, skipped: 0 };
    assert.equal(BandReportSchema.safeParse(bad).success, false);
    const unknown = { time: '2025-01-02T03:04:05.678Z', processes: [{ ...processes[0], band: 'sleepy' }], counts: {}, skipped: 0 };
    assert.equal(BandReportSchema.safeParse(unknown).success, false);
  });
});
