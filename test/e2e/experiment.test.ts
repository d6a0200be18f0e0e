// lmk experiment run / report, run as a user runs them (node dist/host/cli.js …), through a real
// adb server on a private port and the simulated phone: a two-arm experiment (the reaper pinned
// to CPU 0 vs CPU 1) runs to completion on real launches under real memory pressure; its CSV
// agrees with its records; report.html is opened in headless Chromium (Debian's) and its charts
// are drawn; trace.json holds the launches and kills; Ctrl-C stops a run cleanly and restores the
// agent that ran before. Runs as root.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEVICE_INSTALL_DIR } from '../../host/device/device.js';
import { parseCsv } from '../../src/experiment-csv.js';
import { parseExperimentRecords, type ExperimentRecords } from '../../src/experiment-record.js';
import { quantile } from '../../src/experiment-stats.js';
import { StatusSchema } from '../../src/control-protocol.js';
import type { InstantEvent, TraceEvent } from '../../src/trace-format.js';
import { startPhone, type Phone } from '../device-sim/phone.js';
import { freeAdbPort, startAdbServer } from '../support/adb-server.js';
import { tearDownPhone } from '../support/phone-teardown.js';
import { jsonOf, lastErrorLine, LMK_CLI, lmkEnv, runLmk, type LmkRun } from '../support/lmk-cli.js';
import { CHROMIUM, checkReportInChromium } from '../support/report-browser.js';

const skip = process.getuid?.() !== 0 ? 'needs root (the simulated phone: cgroups, zram, mounts, chroot)' : !existsSync(CHROMIUM) ? `needs ${CHROMIUM} (scripts/install-system-deps.sh)` : false;

const APPS = ['com.example.maps', 'com.example.camera', 'com.example.video', 'com.example.photos'];

describe('lmk experiment on a phone through the real adb server', { skip, timeout: 600_000 }, () => {
  let port = 0;
  let phone: Phone | undefined;
  let env: NodeJS.ProcessEnv = {};
  let work = '';
  const lmk = (args: readonly string[]): Promise<LmkRun> => runLmk(args, env);
  const serial = (): string => phone!.serial;
  const scope = (): Record<string, string> => ({ kind: 'cgroup', memcg: phone!.memcgDir, cgroup2: phone!.cgroup2Dir });
  const spec = (arms: Record<string, unknown>, extra: Record<string, unknown> = {}): string => {
    const file = join(work, `spec-${Object.keys(arms).join('-')}.json`);
    writeFileSync(file, JSON.stringify({ name: 'cpu0-vs-cpu1', rounds: 2, pauseMs: 300, settleMs: 300, apps: APPS.map((pkg) => ({ package: pkg, activity: '.Main' })), arms, ...extra }));
    return file;
  };

  before(async () => {
    const started = Date.now();
    port = await freeAdbPort();
    await startAdbServer(port);
    env = lmkEnv({ ANDROID_ADB_SERVER_PORT: String(port) });
    work = mkdtempSync(join(tmpdir(), 'lmk-experiment-'));
    // 4 apps of 300-400 MiB in 768 MiB of RAM with 384 MiB of zram: each round of launches builds real pressure.
    phone = await startPhone({ adbServerPort: port, ramMib: 768, zramMib: 384, apps: 8 });
    const deploy = await lmk(['deploy', '-s', serial(), '--json']);
    assert.equal(deploy.code, 0, deploy.stderr);
    process.stdout.write(`# phone up and lmk deployed in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  });

  after(async () => tearDownPhone(phone, (serial) => lmk(['stop', '-s', serial]), port, work));

  it('refuses a bad spec with the bad field\'s path before touching the phone (exit 2)', async () => {
    const file = spec({ cpu0: { scope: scope(), reaper: { cpus: 'tiny' } } });
    const run = await lmk(['experiment', 'run', file, '-s', serial(), '--out', join(work, 'bad')]);
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.match(lastErrorLine(run), /spec-cpu0\.json: arms\.cpu0\.reaper\.cpus: expected "little", "big", "all" or a list of CPU ids$/);
    assert.equal(existsSync(join(work, 'bad')), false);
    assert.equal(existsSync(`${phone!.rootDir}${DEVICE_INSTALL_DIR}/experiment-config.json`), false, 'nothing pushed');
  });

  const out = (): string => join(work, 'out');
  let records: ExperimentRecords | undefined;

  it('runs two arms (reaper on CPU 0 vs CPU 1) interleaved round by round to completion', async () => {
    const started = Date.now();
    const file = spec({ cpu0: { scope: scope(), reaper: { cpus: [0] } }, cpu1: { scope: scope(), reaper: { cpus: [1] } } });
    const run = await lmk(['experiment', 'run', file, '-s', serial(), '--out', out()]);
    process.stdout.write(`# experiment run (2 arms × 2 rounds × 4 apps) took ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    // Progress names round, arm and app.
    assert.match(run.stdout, /^round 1\/2 · cpu0 · agent started \(pid \d+, reaper cpus 0\)$/m);
    assert.match(run.stdout, /^round 2\/2 · cpu1 · com\.example\.photos: (COLD|WARM) \d+ ms$/m);
    assert.match(run.stdout, /^note: the phone's own killer: not available \(no logcat on /m);
    assert.match(run.stdout, /^done; no agent was running before: none is running now$/m);

    records = parseExperimentRecords(readFileSync(join(out(), 'records.jsonl'), 'utf8'));
    assert.equal(records.skipped, 0);
    assert.equal(records.end?.complete, true);
    assert.equal(records.run.logcat, 'not available');
    assert.match(records.run.psiSource ?? '', /memory\.pressure$/);
    assert.deepEqual(
      records.windows.filter((w) => w.type === 'arm-start').map((w) => `${w.arm}/${w.round}`),
      ['cpu0/1', 'cpu1/1', 'cpu0/2', 'cpu1/2'],
      'interleaved round by round',
    );
    assert.equal(records.launches.length, 2 * 2 * APPS.length);
    assert.ok(records.launches.every((l) => l.ok && (l.launchState === 'COLD' || l.launchState === 'WARM') && (l.totalTimeMs ?? 0) > 0), JSON.stringify(records.launches));
    assert.ok(records.lmkKills.length > 0, 'memory pressure made lmk kill');
    assert.ok(records.psi.length > 10, `PSI sampled through the run (${records.psi.length} samples)`);
    for (const kill of records.lmkKills) {
      const cpu = kill.record.reap?.cpu;
      if (cpu !== null && cpu !== undefined) assert.equal(cpu, kill.arm === 'cpu0' ? 0 : 1, 'each arm reaps on its CPU');
    }
    const status = await lmk(['status', '-s', serial()]);
    assert.equal(status.code, 1, 'the agent is stopped again, as it was found');
  });

  it('summary.csv agrees with the records', () => {
    assert.ok(records, 'needs the run');
    const run: ExperimentRecords = records;
    const rows = parseCsv(readFileSync(join(out(), 'summary.csv'), 'utf8'));
    assert.deepEqual(rows.map((row) => [row['arm'], row['reaper_cpus']]), [
      ['cpu0', '0'],
      ['cpu1', '1'],
    ]);
    for (const row of rows) {
      const arm = row['arm']!;
      const launches = run.launches.filter((l) => l.arm === arm && !l.background);
      const kills = run.lmkKills.filter((k) => k.arm === arm);
      const reaped = kills.filter((k) => k.record.reap !== null && (k.record.reap.errno === null || k.record.reap.errno === 'ESRCH'));
      assert.equal(Number(row['rounds']), 2);
      assert.equal(Number(row['launches']), launches.length);
      assert.equal(Number(row['failed']), launches.filter((l) => !l.ok).length);
      assert.equal(Number(row['cold']), launches.filter((l) => l.launchState === 'COLD').length);
      assert.equal(Number(row['warm']), launches.filter((l) => l.launchState === 'WARM').length);
      assert.equal(Number(row['total_ms_median']).toFixed(1), quantile(launches.map((l) => l.totalTimeMs ?? 0), 0.5)!.toFixed(1));
      assert.equal(Number(row['total_ms_p90']).toFixed(1), quantile(launches.map((l) => l.totalTimeMs ?? 0), 0.9)!.toFixed(1));
      assert.equal(Number(row['lmk_kills']), kills.length);
      assert.equal(row['system_kills'], 'not available');
      for (const band of ['previous', 'cached', 'home', 'perceptible'] as const) assert.equal(Number(row[`kills_${band}`]), kills.filter((k) => k.record.band === band).length, band);
      assert.equal(Number(row['reaped']), reaped.length);
      if (reaped.length > 0) assert.equal(Number(row['reap_ms_median']).toFixed(2), quantile(reaped.map((k) => k.record.reap!.ms), 0.5)!.toFixed(2));
      assert.ok(Number(row['psi_some_ms']) >= 0 && row['psi_some_ms'] !== '');
    }
  });

  it('trace.json parses and holds the launches (slices) and kills (instants) and PSI (counters)', () => {
    assert.ok(records, 'needs the run');
    const trace = JSON.parse(readFileSync(join(out(), 'trace.json'), 'utf8')) as { traceEvents: TraceEvent[] };
    const launches = trace.traceEvents.filter((e) => e.ph === 'X' && e.cat === 'launch');
    const kills = trace.traceEvents.filter((e): e is InstantEvent => e.ph === 'i' && e.cat === 'kill,lmk');
    assert.equal(launches.length, records.launches.length);
    assert.equal(kills.length, records.lmkKills.length);
    for (const kill of records.lmkKills) assert.ok(kills.some((e) => e.name === `kill ${kill.record.name}` && e.args?.['pid'] === kill.record.pid));
    assert.ok(trace.traceEvents.filter((e) => e.ph === 'C').length >= records.psi.length);
  });

  it('report.html, opened in headless Chromium with no network, draws every chart', async () => {
    const screenshot = join(work, 'report.png');
    const page = await checkReportInChromium(join(out(), 'report.html'), screenshot);
    if (process.env['LMK_EXPERIMENT_SCREENSHOT']) copyFileSync(screenshot, process.env['LMK_EXPERIMENT_SCREENSHOT']);
    assert.deepEqual(page.errors, []);
    assert.deepEqual(page.requests, [], 'nothing fetched');
    assert.equal(page.drawn, 6);
    assert.deepEqual(page.charts.map((c) => c.id), ['chart-launch-distribution', 'chart-launch-timeline', 'chart-kills', 'chart-psi', 'chart-reap', 'chart-apps']);
    for (const chart of page.charts) {
      assert.equal(chart.canvases, 1, chart.id);
      assert.ok(chart.width > 400 && chart.height > 200, `${chart.id} has a size: ${chart.width}×${chart.height}`);
      assert.ok(chart.points > 0, `${chart.id} has data`);
      // Axes and labels alone are a few greys; data in arm colours adds many more colours and pixels.
      assert.ok(chart.drawnPixels > 5000 && chart.colours > 20, `${chart.id} drew ${chart.drawnPixels} pixels in ${chart.colours} colours`);
    }
    assert.ok(readFileSync(screenshot).length > 50_000, 'a screenshot was saved');
  });

  it('lmk experiment report DIR rebuilds the CSV, the report and the trace from the records', async () => {
    const csv = readFileSync(join(out(), 'summary.csv'), 'utf8');
    const trace = readFileSync(join(out(), 'trace.json'), 'utf8');
    for (const name of ['summary.csv', 'report.html', 'trace.json']) rmSync(join(out(), name));
    const run = await lmk(['experiment', 'report', out(), '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal((jsonOf(run) as { files: string[] }).files.length, 3);
    assert.equal(readFileSync(join(out(), 'summary.csv'), 'utf8'), csv);
    assert.equal(readFileSync(join(out(), 'trace.json'), 'utf8'), trace);
    assert.ok(readFileSync(join(out(), 'report.html'), 'utf8').includes('echarts'));
    const missing = await lmk(['experiment', 'report', work]);
    assert.equal(missing.code, 1);
    assert.match(lastErrorLine(missing), /no records\.jsonl in /);
  });

  it('Ctrl-C stops cleanly: the agent that ran before runs again with its config, and what was measured is kept', async () => {
    const config = join(work, 'before.json');
    writeFileSync(config, JSON.stringify({ scope: scope(), reaper: { cpus: 'all' }, killTimeoutMs: 250 }));
    const start = await lmk(['start', '-s', serial(), '--config', config, '--json']);
    assert.equal(start.code, 0, start.stderr);
    const beforePid = (jsonOf(start) as { agentPid: number }).agentPid;

    const file = spec({ lmk: { scope: scope(), reaper: { cpus: [0] } }, none: null }, { rounds: 5 });
    const dir = join(work, 'interrupted');
    const child = spawn(process.execPath, [LMK_CLI, 'experiment', 'run', file, '-s', serial(), '--out', dir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      child.stdout.setEncoding('utf8').on('data', (text: string) => {
        stdout += text;
        if (/ · com\.example\.\w+: /.test(stdout)) resolve();
      });
      void exited.then(() => resolve());
    });
    child.kill('SIGINT');
    const code = await exited;
    assert.equal(code, 130, stdout + stderr);
    assert.match(stderr, /interrupted: finishing the step in progress/);
    assert.match(stdout, /^stopped early: interrupted \(in round 1\/5 · lmk\); the agent that ran before runs again \(pid \d+\), with the config next to the bundle as before$/m);

    const kept = parseExperimentRecords(readFileSync(join(dir, 'records.jsonl'), 'utf8'));
    assert.equal(kept.end?.complete, false);
    assert.match(kept.end?.reason ?? '', /^interrupted/);
    assert.ok(kept.launches.length >= 1 && kept.launches.length < APPS.length * 2 * 5);
    assert.deepEqual(kept.run.agentBefore?.agentPid, beforePid);
    assert.ok(existsSync(join(dir, 'report.html')) && existsSync(join(dir, 'summary.csv')), 'the report is built from what was measured');

    const status = await lmk(['status', '-s', serial(), '--json']);
    assert.equal(status.code, 0, status.stderr);
    const restored = StatusSchema.parse(jsonOf(status));
    assert.notEqual(restored.pid, beforePid, 'a new agent process');
    assert.equal((restored.config as { killTimeoutMs: number }).killTimeoutMs, 250, 'with the config it had');
    assert.deepEqual((restored.config as { reaper: { cpus: unknown } }).reaper.cpus, 'all');
    const stop = await lmk(['stop', '-s', serial()]);
    assert.equal(stop.code, 0, stop.stderr);
  });
});
