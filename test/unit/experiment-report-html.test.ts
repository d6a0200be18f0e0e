import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { experimentCharts } from '../../src/experiment-charts.js';
import { reportHtml, scriptSafe } from '../../src/experiment-html.js';
import { parseExperimentRecords } from '../../src/experiment-record.js';
import { summarizeExperiment } from '../../src/experiment-summary.js';
import { sampleRecordsText } from '../support/experiment-records.js';

describe('report.html', () => {
  const records = parseExperimentRecords(sampleRecordsText());
  const charts = experimentCharts(records);
  const library = 'window.echarts = { init: function () { return { setOption: function () {}, resize: function () {} }; } }; var s = "</script><!--";';
  const html = reportHtml({ records, summaries: summarizeExperiment(records), charts, chartLibrary: library });

  it('has the four charts the issue asks for, with data, and more', () => {
    assert.deepEqual(charts.map((c) => c.id), ['chart-launch-distribution', 'chart-launch-timeline', 'chart-kills', 'chart-psi', 'chart-reap', 'chart-apps']);
    const points = Object.fromEntries(charts.map((c) => [c.id, c.points]));
    assert.equal(points['chart-launch-distribution'], 7, 'successful measured launches');
    assert.equal(points['chart-kills'], 5);
    assert.equal(points['chart-psi'], records.psi.length);
    assert.equal(points['chart-reap'], 3);
    for (const chart of charts) {
      assert.equal(chart.option['animation'], false);
      assert.doesNotThrow(() => JSON.stringify(chart.option), 'options are plain JSON');
    }
  });

  it('is self-contained: the library inlined, no external URL, a policy that forbids connections', () => {
    assert.ok(html.includes('window.echarts = {'));
    assert.ok(!/<script[^>]+src=/i.test(html));
    assert.ok(!/<link[^>]+href=/i.test(html));
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
    for (const chart of charts) assert.ok(html.includes(`id="${chart.id}"`));
  });

  it('keeps inlined script text from closing its element', () => {
    assert.equal(scriptSafe('a</script>b<!--c</SCRIPT'), 'a<\\/script>b<\\!--c<\\/SCRIPT');
    assert.equal(html.match(/<\/script>/g)?.length, 3, 'only the three script elements close');
  });

  it('shows the summary table and escapes names', () => {
    assert.match(html, /<th>cold share<\/th>/);
    assert.match(html, /<td>cpu0<\/td><td>0<\/td><td>2<\/td><td>4<\/td>/);
    const tricky = parseExperimentRecords(sampleRecordsText().replace('"serial":"NX5TEST"', '"serial":"<b>x</b>"'));
    assert.ok(reportHtml({ records: tricky, summaries: [], charts: [], chartLibrary: '' }).includes('&lt;b&gt;x&lt;/b&gt;'));
  });

  it('an empty chart says there is no data instead of drawing nothing', () => {
    const quiet = parseExperimentRecords(sampleRecordsText().split('\n').filter((line) => !line.includes('"type":"kill"')).join('\n'));
    const kills = experimentCharts(quiet).find((c) => c.id === 'chart-kills');
    assert.equal(kills?.points, 0);
    assert.match(JSON.stringify(kills?.option['graphic']), /no kills in this run/);
  });
});
