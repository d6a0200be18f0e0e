import type { ExperimentRecords } from './experiment-record.js';
import { distribution, type Distribution } from './experiment-stats.js';
import { isReaped } from './experiment-summary.js';
import { armWindows, type ArmWindow } from './experiment-windows.js';

/**
 * The report's charts as ECharts option objects: plain JSON (no functions), built here from the
 * records so the page only hands them to `echarts.init(el).setOption(option)`. Animation is
 * off so what a screenshot catches is the finished chart.
 */

export type ChartOption = Record<string, unknown>;

export interface Chart {
  /** Element id in the page. */
  readonly id: string;
  readonly title: string;
  /** One line under the title: what the chart shows and how to read it. */
  readonly caption: string;
  /** How many data points it draws (0: an empty chart, shown with a "no data" note). */
  readonly points: number;
  readonly option: ChartOption;
}

/** ECharts' default palette: arm i is colour i everywhere. */
export const ARM_COLORS = ['#5470c6', '#91cc75', '#fac858', '#ee6666', '#73c0de', '#3ba272', '#fc8452', '#9a60b4', '#ea7ccc'] as const;

function armColor(index: number): string {
  return ARM_COLORS[index % ARM_COLORS.length]!;
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function box(d: Distribution | undefined, digits = 1): number[] {
  return d ? [d.min, d.q1, d.median, d.q3, d.max].map((v) => round(v, digits)) : [];
}

const BASE: ChartOption = {
  animation: false,
  grid: { left: 64, right: 32, top: 48, bottom: 56, containLabel: true },
  tooltip: { trigger: 'item' },
  legend: { top: 8, type: 'scroll' },
  textStyle: { fontFamily: 'system-ui, sans-serif' },
};

function empty(option: ChartOption, points: number, what: string): ChartOption {
  if (points > 0) return option;
  return { ...option, graphic: [{ type: 'text', left: 'center', top: 'middle', style: { text: `no ${what} in this run`, fontSize: 16, fill: '#888' } }] };
}

/** Shaded bands for the arms' windows on a time axis (seconds since the run started). */
/** A legend of the given series only (the shaded windows explain themselves). */
function legendOf(series: ReadonlyArray<{ readonly name: string }>): ChartOption {
  return { top: 8, type: 'scroll', data: series.map((item) => item.name).filter((name) => name !== WINDOWS) };
}

const WINDOWS = 'arm windows';

function windowAreas(windows: readonly ArmWindow[], arms: readonly string[], t0: number): ChartOption {
  return {
    name: WINDOWS,
    type: 'line',
    data: [],
    silent: true,
    markArea: {
      silent: true,
      label: { position: 'insideTop', fontSize: 10, color: '#555' },
      data: windows.map((w) => [
        { xAxis: round((w.start - t0) / 1000, 2), name: `${w.arm} r${w.round}`, itemStyle: { color: armColor(arms.indexOf(w.arm)), opacity: 0.12 } },
        { xAxis: round((w.end - t0) / 1000, 2) },
      ]),
    },
  };
}

function timeAxis(): ChartOption {
  return { type: 'value', name: 's since start', nameLocation: 'middle', nameGap: 28, min: 0 };
}

export function experimentCharts(records: ExperimentRecords): Chart[] {
  const arms = records.run.spec.arms.map((arm) => arm.name);
  const t0 = records.run.t;
  const windows = armWindows(records);
  const measured = records.launches.filter((launch) => !launch.background && launch.ok && launch.totalTimeMs !== null);
  const seconds = (t: number): number => round((t - t0) / 1000, 2);

  // 1. Launch-time distribution per arm: box (min, quartiles, max) with every launch as a dot.
  const states = ['COLD', 'WARM', 'HOT', 'other'] as const;
  const stateOf = (state: string | null): (typeof states)[number] => (state === 'COLD' || state === 'WARM' || state === 'HOT' ? state : 'other');
  const distributionChart: Chart = {
    id: 'chart-launch-distribution',
    title: 'Launch time by arm',
    caption: "ActivityManager's TotalTime of every measured launch (dots, by launch state) and its spread per arm (box: min, quartiles, max).",
    points: measured.length,
    option: empty(
      {
        ...BASE,
        xAxis: { type: 'category', data: arms, name: 'arm', nameLocation: 'middle', nameGap: 28 },
        yAxis: { type: 'value', name: 'TotalTime ms' },
        series: [
          {
            name: 'distribution',
            type: 'boxplot',
            itemStyle: { color: 'rgba(84,112,198,0.08)', borderColor: '#333' },
            data: arms.map((arm, index) => ({ value: box(distribution(measured.filter((l) => l.arm === arm).map((l) => l.totalTimeMs ?? 0))), itemStyle: { borderColor: armColor(index) } })),
          },
          ...states
            .filter((state) => measured.some((l) => stateOf(l.launchState) === state))
            .map((state) => ({
              name: state,
              type: 'scatter',
              symbolSize: 7,
              itemStyle: { opacity: 0.75, color: state === 'COLD' ? '#3b6fd6' : state === 'WARM' ? '#f39c12' : state === 'HOT' ? '#27ae60' : '#999' },
              data: measured.filter((l) => stateOf(l.launchState) === state).map((l) => [arms.indexOf(l.arm), l.totalTimeMs]),
            })),
        ],
      },
      measured.length,
      'successful launches',
    ),
  };

  // 2. Launch times over the run, so drift and each arm's windows are visible.
  const timelineChart: Chart = {
    id: 'chart-launch-timeline',
    title: 'Launches over the run',
    caption: 'TotalTime of each launch when it was made; shaded bands are the arms\u2019 turns (arm and round).',
    points: measured.length,
    option: empty(
      {
        ...BASE,
        color: arms.map((_, i) => armColor(i)),
        legend: legendOf(arms.map((name) => ({ name }))),
        xAxis: timeAxis(),
        yAxis: { type: 'value', name: 'TotalTime ms' },
        series: [
          ...arms.map((arm) => ({ name: arm, type: 'scatter', symbolSize: 8, data: measured.filter((l) => l.arm === arm).map((l) => [seconds(l.t), l.totalTimeMs]) })),
          windowAreas(windows, arms, t0),
        ],
      },
      measured.length,
      'successful launches',
    ),
  };

  // 3. Kills over time, by victim adj: lmk's (circles) and the phone's own killer's (triangles).
  const killSeries = arms.flatMap((arm, index) => [
    {
      name: `${arm}: lmk`,
      type: 'scatter',
      symbol: 'circle',
      symbolSize: 10,
      itemStyle: { color: armColor(index) },
      data: records.lmkKills.filter((k) => k.arm === arm).map((k) => ({ value: [seconds(k.t), k.record.adj], name: `${k.record.name} (${k.record.band}, ${k.record.reason})` })),
    },
    {
      name: `${arm}: phone's killer`,
      type: 'scatter',
      symbol: 'triangle',
      symbolSize: 11,
      itemStyle: { color: armColor(index), borderColor: '#000', borderWidth: 1 },
      data: records.systemKills.filter((k) => k.arm === arm).map((k) => ({ value: [seconds(k.t), k.adj], name: `${k.name ?? `pid ${k.pid}`} (${k.reason ?? 'lowmemorykiller'})` })),
    },
  ]).filter((series) => series.data.length > 0);
  const killCount = records.lmkKills.length + records.systemKills.length;
  const killsChart: Chart = {
    id: 'chart-kills',
    title: 'Kills over time',
    caption: `Each kill at its time and the victim's oom_score_adj: circles lmk, triangles the phone's own killer${records.run.logcat === 'available' ? '' : ' (not available: the phone has no logcat)'}.`,
    points: killCount,
    option: empty(
      {
        ...BASE,
        tooltip: { trigger: 'item', formatter: '{a}<br/>{b}: {c}' },
        legend: legendOf(killSeries),
        xAxis: timeAxis(),
        yAxis: { type: 'value', name: 'victim adj', min: 0, max: 1000 },
        series: [...killSeries, windowAreas(windows, arms, t0)],
      },
      killCount,
      'kills',
    ),
  };

  // 4. PSI over the run: avg10 (%) and stall time per second from the cumulative totals.
  const samples = [...records.psi].sort((a, b) => a.t - b.t);
  const rate = (key: 'some' | 'full'): number[][] =>
    samples.flatMap((sample, index) => {
      const previous = samples[index - 1];
      const now = sample[key];
      const before = previous?.[key];
      if (!previous || !now || !before || sample.t <= previous.t) return [];
      return [[seconds(sample.t), round(Math.max(0, now.totalUs - before.totalUs) / 1000 / ((sample.t - previous.t) / 1000), 2)]];
    });
  const psiChart: Chart = {
    id: 'chart-psi',
    title: 'Memory pressure (PSI)',
    caption: `${records.run.psiSource ?? 'PSI not available'}: stall ms per second (lines, from the kernel's totals) and avg10 % (dashed); shaded bands are the arms' turns.`,
    points: samples.length,
    option: empty(
      {
        ...BASE,
        tooltip: { trigger: 'axis' },
        legend: legendOf(['some stall ms/s', 'full stall ms/s', 'some avg10 %', 'full avg10 %'].map((name) => ({ name }))),
        xAxis: timeAxis(),
        yAxis: [
          { type: 'value', name: 'stall ms/s', min: 0 },
          { type: 'value', name: 'avg10 %', min: 0, splitLine: { show: false } },
        ],
        series: [
          { name: 'some stall ms/s', type: 'line', showSymbol: false, color: '#e67e22', areaStyle: { opacity: 0.15 }, data: rate('some') },
          { name: 'full stall ms/s', type: 'line', showSymbol: false, color: '#c0392b', areaStyle: { opacity: 0.15 }, data: rate('full') },
          { name: 'some avg10 %', type: 'line', yAxisIndex: 1, showSymbol: false, color: '#8e44ad', lineStyle: { type: 'dashed' }, data: samples.map((s) => [seconds(s.t), s.some.avg10]) },
          { name: 'full avg10 %', type: 'line', yAxisIndex: 1, showSymbol: false, color: '#2c3e50', lineStyle: { type: 'dashed' }, data: samples.flatMap((s) => (s.full ? [[seconds(s.t), s.full.avg10]] : [])) },
          windowAreas(windows, arms, t0),
        ],
      },
      samples.length,
      'PSI samples',
    ),
  };

  // 5. process_mrelease time per reaper CPU set (the arm's setting), dots by the CPU it ran on
  //    (hollow: ESRCH, the victim was already freeing itself).
  const reaped = records.lmkKills.flatMap((k) => (k.record.reap && isReaped(k.record.reap.errno) ? [{ arm: k.arm, ms: k.record.reap.ms, cpu: k.record.reap.cpu, esrch: k.record.reap.errno !== null }] : []));
  const reapArms = arms.filter((arm) => records.run.reaperCpus[arm] !== '-');
  const setLabel = (arm: string): string => `${arm} (cpus ${records.run.reaperCpus[arm] ?? '?'})`;
  const cpus = [...new Set(reaped.map((r) => r.cpu))].sort((a, b) => (a ?? -1) - (b ?? -1));
  const cpuColors = ['#16a085', '#d35400', '#2980b9', '#8e44ad', '#c0392b', '#7f8c8d', '#f1c40f', '#2c3e50'];
  const reapSeries = cpus.flatMap((cpu, index) =>
    [false, true].map((esrch) => ({
      name: `ran on CPU ${cpu ?? '?'}${esrch ? ' (ESRCH)' : ''}`,
      type: 'scatter',
      symbol: esrch ? 'emptyCircle' : 'circle',
      symbolSize: 9,
      itemStyle: { opacity: 0.85, color: cpuColors[index % cpuColors.length] },
      data: reaped.filter((r) => r.cpu === cpu && r.esrch === esrch && reapArms.includes(r.arm)).map((r) => [reapArms.indexOf(r.arm), round(r.ms, 3)]),
    })),
  ).filter((series) => series.data.length > 0);
  const reapChart: Chart = {
    id: 'chart-reap',
    title: 'Reap time by CPU set',
    caption: "process_mrelease time of every reap, by the reaper CPUs each arm chose (box) and the CPU the reaper ran on (dot colour; hollow: ESRCH, the victim was already past exit_mm).",
    points: reaped.length,
    option: empty(
      {
        ...BASE,
        xAxis: { type: 'category', data: reapArms.map(setLabel), name: 'arm (reaper cpus)', nameLocation: 'middle', nameGap: 28 },
        yAxis: { type: 'value', name: 'reap ms' },
        series: [
          { name: 'distribution', type: 'boxplot', itemStyle: { color: 'rgba(0,0,0,0.04)', borderColor: '#333' }, data: reapArms.map((arm) => box(distribution(reaped.filter((r) => r.arm === arm).map((r) => r.ms)), 3)) },
          ...reapSeries,
        ],
      },
      reaped.length,
      'reaps',
    ),
  };

  // 6. Median launch time per app and arm.
  const apps = records.run.spec.apps.map((app) => app.package);
  const medians = arms.map((arm) => apps.map((pkg) => distribution(measured.filter((l) => l.arm === arm && l.package === pkg).map((l) => l.totalTimeMs ?? 0))?.median));
  const appsChart: Chart = {
    id: 'chart-apps',
    title: 'Median launch time per app',
    caption: 'Median TotalTime of each app in each arm.',
    points: measured.length,
    option: empty(
      {
        ...BASE,
        tooltip: { trigger: 'axis' },
        color: arms.map((_, i) => armColor(i)),
        xAxis: { type: 'category', data: apps.map((pkg) => pkg.split('.').at(-1) ?? pkg), axisLabel: { interval: 0, rotate: apps.length > 6 ? 30 : 0 } },
        yAxis: { type: 'value', name: 'median ms' },
        series: arms.map((arm, i) => ({ name: arm, type: 'bar', data: (medians[i] ?? []).map((m) => (m === undefined ? null : round(m))) })),
      },
      measured.length,
      'successful launches',
    ),
  };

  return [distributionChart, timelineChart, killsChart, psiChart, reapChart, appsChart];
}
