import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCsv, summaryCsv } from '../../src/experiment-csv.js';
import { parseExperimentRecords } from '../../src/experiment-record.js';
import { distribution, quantile } from '../../src/experiment-stats.js';
import { summarizeExperiment } from '../../src/experiment-summary.js';
import { armWindows } from '../../src/experiment-windows.js';
import { sampleRecordsText, T0 } from '../support/experiment-records.js';

describe('experiment statistics', () => {
  it('interpolates quantiles between ranks (type 7)', () => {
    assert.equal(quantile([1200, 150, 1000, 800], 0.5), 900);
    assert.equal(quantile([150, 800, 1000, 1200], 0.9), 1140);
    assert.equal(quantile([7], 0.99), 7);
    assert.equal(quantile([], 0.5), undefined);
    const d = distribution([1, 2, 3, 4, 5]);
    assert.deepEqual([d?.min, d?.q1, d?.median, d?.q3, d?.max, d?.mean], [1, 2, 3, 4, 5, 3]);
  });
});

describe('experiment records → summary per arm', () => {
  const records = parseExperimentRecords(`${sampleRecordsText()}\n{"type":"launch","broken":true}\nnot json\n`);

  it('reads every record and counts the lines that are not records', () => {
    assert.equal(records.skipped, 2);
    assert.equal(records.launches.length, 9);
    assert.equal(records.lmkKills.length, 4);
    assert.equal(records.systemKills.length, 1);
    assert.equal(records.end?.complete, true);
    assert.deepEqual(
      armWindows(records).map((w) => [w.arm, w.round, w.start - T0, w.end - T0]),
      [
        ['cpu0', 1, 1000, 5000],
        ['none', 1, 6000, 10000],
        ['cpu0', 2, 11000, 15000],
        ['none', 2, 16000, 20000],
      ],
    );
  });

  it('summarises launches, kills by band, reaps by CPU and PSI stall time per arm', () => {
    const [cpu0, none] = summarizeExperiment(records);
    assert.ok(cpu0 && none);
    assert.deepEqual(
      [cpu0.arm, cpu0.reaperCpus, cpu0.rounds, cpu0.windowMs, cpu0.launches, cpu0.failed, cpu0.cold, cpu0.warm, cpu0.coldShare],
      ['cpu0', '0', 2, 8000, 4, 0, 3, 1, 0.75],
      'the background launch is not counted',
    );
    assert.deepEqual([cpu0.totalTime?.median, cpu0.totalTime?.p90, cpu0.totalTime?.p99], [900, 1140, 1194]);
    assert.deepEqual([cpu0.lmkKills, cpu0.systemKills, cpu0.killsByBand.cached, cpu0.killsByBand.previous], [4, 0, 3, 1]);
    assert.deepEqual([cpu0.reap?.count, cpu0.reap?.median, cpu0.reapEsrch, cpu0.reapErrors], [3, 4, 1, 1], 'ESRCH counts as reaped, EINVAL as an error');
    assert.deepEqual(cpu0.reapByCpu, [{ cpu: 0, count: 3, medianMs: 4 }]);
    assert.equal(cpu0.exit?.median, 45);
    assert.equal(cpu0.freedKb, 4 * 102400);
    assert.deepEqual([cpu0.psiSomeMs, cpu0.psiFullMs], [160, 16]);

    assert.deepEqual([none.reaperCpus, none.launches, none.failed, none.cold, none.warm], ['-', 4, 1, 2, 1]);
    assert.equal(none.coldShare, 2 / 3);
    assert.deepEqual([none.totalTime?.median, none.totalTime?.p90], [900, 1380]);
    assert.deepEqual([none.lmkKills, none.systemKills, none.killsByBand.cached], [0, 1, 1]);
    assert.equal(none.reap, undefined);
    assert.deepEqual([none.psiSomeMs, none.psiFullMs], [320, 32]);
  });

  it('says "not available" for the phone\'s kills when there was no logcat', () => {
    const text = sampleRecordsText().replace('"logcat":"available"', '"logcat":"not available"');
    const [cpu0] = summarizeExperiment(parseExperimentRecords(text));
    assert.equal(cpu0?.systemKills, null);
    assert.equal(parseCsv(summaryCsv(summarizeExperiment(parseExperimentRecords(text))))[0]?.['system_kills'], 'not available');
  });

  it('summary.csv agrees with the records, cell by cell', () => {
    const rows = parseCsv(summaryCsv(summarizeExperiment(records)));
    assert.deepEqual(rows.map((row) => row['arm']), ['cpu0', 'none']);
    for (const row of rows) {
      const arm = row['arm']!;
      const launches = records.launches.filter((l) => l.arm === arm && !l.background);
      const ok = launches.filter((l) => l.ok);
      const kills = records.lmkKills.filter((k) => k.arm === arm);
      const system = records.systemKills.filter((k) => k.arm === arm);
      assert.equal(Number(row['launches']), launches.length);
      assert.equal(Number(row['failed']), launches.length - ok.length);
      assert.equal(Number(row['cold']), ok.filter((l) => l.launchState === 'COLD').length);
      assert.equal(Number(row['cold_share']).toFixed(3), (ok.filter((l) => l.launchState === 'COLD').length / ok.length).toFixed(3));
      assert.equal(Number(row['total_ms_median']), quantile(ok.map((l) => l.totalTimeMs ?? 0), 0.5));
      assert.equal(Number(row['lmk_kills']), kills.length);
      assert.equal(Number(row['system_kills']), system.length);
      assert.equal(Number(row['kills_cached']), kills.filter((k) => k.record.band === 'cached').length + system.filter((k) => k.adj >= 900).length);
      assert.equal(Number(row['freed_mb']), kills.reduce((sum, k) => sum + (k.record.freedKb ?? 0), 0) / 1024);
    }
    assert.deepEqual(
      Object.keys(rows[0]!).filter((key) => key.startsWith('kills_')),
      ['kills_foreground', 'kills_visible', 'kills_perceptible', 'kills_backup', 'kills_heavy', 'kills_service', 'kills_home', 'kills_previous', 'kills_serviceB', 'kills_cached'],
    );
    assert.equal(rows[0]?.['reap_ms_by_cpu'], 'cpu0:n=3 median=4.00');
    assert.equal(rows[1]?.['total_ms_p99'], '1488', 'p99 of 200, 900, 1500: 900 + 0.98 × 600');
    assert.equal(rows[1]?.['reap_ms_median'], '', 'no data is an empty cell');
  });

  it('quotes CSV cells that need it and reads them back', () => {
    assert.deepEqual(parseCsv('a,b\n"x, ""y""",2\n'), [{ a: 'x, "y"', b: '2' }]);
  });
});
