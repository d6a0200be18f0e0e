import { csvBands, reapByCpuText } from './experiment-csv.js';
import type { ExperimentRecords } from './experiment-record.js';
import type { Chart } from './experiment-charts.js';
import type { ArmSummary } from './experiment-summary.js';

/**
 * report.html: one self-contained file. The charting library's browser bundle is inlined (given
 * here as text, read by the host), the charts' options ride along as JSON, and nothing is
 * fetched: the page works from file:// with no network. A content security policy forbids any
 * connection, so a stray URL could not leak out either.
 */

export interface ReportInput {
  readonly records: ExperimentRecords;
  readonly summaries: readonly ArmSummary[];
  readonly charts: readonly Chart[];
  /** The charting library's browser bundle (ECharts' dist/echarts.min.js). */
  readonly chartLibrary: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** Text that goes inside <script>: a literal "</script" (or "<!--") would end or confuse the element. */
export function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

function fmt(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined) return '–';
  return value.toFixed(digits);
}

function summaryTable(summaries: readonly ArmSummary[]): string {
  const bands = csvBands(summaries).filter((band) => summaries.some((s) => s.killsByBand[band] > 0));
  const head = ['arm', 'reaper cpus', 'rounds', 'launches', 'failed', 'cold share', 'median ms', 'p90 ms', 'p99 ms', 'lmk kills', "phone's kills", ...bands.map((b) => `kills ${b}`), 'reap median ms', 'reap by cpu', 'freed MB', 'PSI some ms', 'PSI full ms'];
  const rows = summaries.map((s) =>
    [
      s.arm,
      s.reaperCpus,
      String(s.rounds),
      String(s.launches),
      String(s.failed),
      s.coldShare === undefined ? '–' : `${(s.coldShare * 100).toFixed(0)} %`,
      fmt(s.totalTime?.median),
      fmt(s.totalTime?.p90),
      fmt(s.totalTime?.p99),
      String(s.lmkKills),
      s.systemKills === null ? 'n/a' : String(s.systemKills),
      ...bands.map((b) => String(s.killsByBand[b])),
      fmt(s.reap?.median, 2),
      reapByCpuText(s) || '–',
      fmt(s.freedKb / 1024),
      fmt(s.psiSomeMs),
      fmt(s.psiFullMs),
    ],
  );
  return `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((cells) => `<tr>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 24px; color: #222; background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 24px 0 2px; }
.meta, .caption { color: #555; font-size: 13px; margin: 2px 0 8px; }
table { border-collapse: collapse; font-size: 13px; margin: 12px 0; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; } th { background: #f3f3f3; }
td:first-child, th:first-child { text-align: left; }
.chart { width: 100%; max-width: 1100px; height: 380px; border: 1px solid #eee; }
.notes { font-size: 13px; color: #7a4b00; }
`;

/** The page script: hand each chart's options to ECharts; mark the page done for whoever waits. */
const PAGE_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('lmk-report-data').textContent);
  var drawn = 0;
  data.charts.forEach(function (chart) {
    var el = document.getElementById(chart.id);
    var instance = echarts.init(el, null, { renderer: 'canvas' });
    instance.setOption(chart.option);
    window.addEventListener('resize', function () { instance.resize(); });
    drawn++;
  });
  document.body.setAttribute('data-charts-drawn', String(drawn));
})();
`;

export function reportHtml(input: ReportInput): string {
  const { run, end, notes, skipped } = input.records;
  const status = end === null ? 'did not finish (no end record)' : end.complete ? 'complete' : `stopped early: ${end.reason ?? 'unknown reason'}`;
  const arms = run.spec.arms.map((arm) => `${arm.name}: ${arm.config === null ? 'no lmk' : JSON.stringify(arm.config)}`);
  const data = { charts: input.charts.map((chart) => ({ id: chart.id, option: chart.option })) };
  const noteLines = [
    ...notes.map((note) => note.message),
    ...(skipped > 0 ? [`${skipped} line(s) of records.jsonl were not valid records and were skipped`] : []),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>lmk experiment ${escapeHtml(run.name)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>lmk experiment ${escapeHtml(run.name)}</h1>
<p class="meta">${escapeHtml(run.serial)} · started ${escapeHtml(new Date(run.t).toISOString())} · ${run.spec.rounds} round(s) × ${run.spec.arms.length} arm(s) × ${run.spec.apps.length} app(s) · ${escapeHtml(status)}</p>
<p class="meta">PSI: ${escapeHtml(run.psiSource ?? 'not available')} · phone's own killer (logcat): ${escapeHtml(run.logcat)}</p>
<ul class="meta">${arms.map((arm) => `<li>${escapeHtml(arm)}</li>`).join('')}</ul>
${noteLines.length > 0 ? `<ul class="notes">${noteLines.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>` : ''}
<h2>Summary per arm</h2>
${summaryTable(input.summaries)}
${input.charts
  .map((chart) => `<h2>${escapeHtml(chart.title)}</h2>\n<p class="caption">${escapeHtml(chart.caption)}</p>\n<div class="chart" id="${escapeHtml(chart.id)}" data-points="${chart.points}"></div>`)
  .join('\n')}
<script type="application/json" id="lmk-report-data">${scriptSafe(JSON.stringify(data))}</script>
<script>${scriptSafe(input.chartLibrary)}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
