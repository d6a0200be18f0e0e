// lmk start / status / watch / logs / bands / reload / stop, run as a user runs them (node
// dist/host/cli.js …), through a real adb server on a private port and the simulated phone: the
// agent is deployed, started under its supervisor, kills apps under real memory pressure in the
// phone's memory cgroup, is restarted when killed, and stops. Runs as root.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEVICE_INSTALL_DIR, DEVICE_STATE_DIR } from '../../host/device/device.js';
import { BandReportSchema } from '../../src/band-report.js';
import { StatusSchema } from '../../src/control-protocol.js';
import { KillRecordSchema, type KillRecord } from '../../src/kill-record.js';
import { StartedSchema } from '../../src/supervisor-protocol.js';
import { startPhone, type Phone } from '../device-sim/phone.js';
import { adbOn, freeAdbPort, startAdbServer } from '../support/adb-server.js';
import { tearDownPhone } from '../support/phone-teardown.js';
import { jsonOf, lastErrorLine, LMK_CLI, lmkEnv, runLmk, type LmkRun } from '../support/lmk-cli.js';

const skip = process.getuid?.() !== 0 ? 'needs root (the simulated phone: cgroups, zram, mounts, chroot)' : false;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A failed run: the exit code, and one `lmk:` line on stderr matching `pattern`. */
function assertFails(run: LmkRun, code: number, pattern: RegExp): void {
  assert.equal(run.code, code, `expected exit ${code}: ${run.stdout}${run.stderr}`);
  assert.match(lastErrorLine(run), pattern, run.stderr);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `lmk watch` as a child process, its stdout lines collected. */
class Watch {
  readonly lines: string[] = [];
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    let partial = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      this.lines.push(...lines.filter((line) => line !== ''));
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static start(args: readonly string[], env: NodeJS.ProcessEnv): Watch {
    return new Watch(spawn(process.execPath, [LMK_CLI, 'watch', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  /** Ctrl-C; resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGINT');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}

describe('lmk start, status, watch, logs, bands, reload and stop on a phone through the real adb server', { skip, timeout: 900_000 }, () => {
  let port = 0;
  let phone: Phone | undefined;
  let env: NodeJS.ProcessEnv = {};
  let work = '';
  let config = '';
  let started: { agentPid: number; supervisorPid: number } | undefined;
  const watches: Watch[] = [];
  const lmk = (args: readonly string[]): Promise<LmkRun> => runLmk(args, env);
  const serial = (): string => phone!.serial;
  /** A file in the phone's root, as this machine sees it. */
  const onPhone = (path: string): string => `${phone!.rootDir}${path}`;
  const adbShell = async (command: string): Promise<string> => (await adbOn(port, ['-s', serial(), 'shell', command])).stdout;
  const statusJson = async (): Promise<Record<string, unknown>> => {
    const run = await lmk(['status', '-s', serial(), '--json']);
    assert.equal(run.code, 0, run.stderr);
    return StatusSchema.parse(jsonOf(run)) as Record<string, unknown>;
  };

  before(async () => {
    port = await freeAdbPort();
    await startAdbServer(port);
    env = lmkEnv({ ANDROID_ADB_SERVER_PORT: String(port) });
    work = mkdtempSync(join(tmpdir(), 'lmk-host-agent-'));
    // 8 apps of 150-400 MiB in 768 MiB of RAM with 384 MiB of zram: opening them builds real pressure.
    phone = await startPhone({ adbServerPort: port, ramMib: 768, zramMib: 384, apps: 8 });
    config = join(work, 'config.json');
    // The phone's RAM is its memory cgroup (its /proc/meminfo is this machine's): cgroup scope.
    writeFileSync(config, JSON.stringify({ scope: { kind: 'cgroup', memcg: phone.memcgDir, cgroup2: phone.cgroup2Dir }, reaper: { cpus: 'all' } }));
  });

  after(async () => {
    try {
      for (const watch of watches) await watch.stop();
    } finally {
      // Stops whatever runs (exit 1 when nothing does); the phone's stop removes every process anyway.
      await tearDownPhone(phone, (serial) => lmk(['stop', '-s', serial]), port, work);
    }
  });

  it('says lmk is not deployed before lmk deploy', async () => {
    const notDeployed = new RegExp(`^lmk: lmk is not deployed on ${escape(serial())}: run lmk deploy$`);
    for (const command of [['start', '--config', config], ['status'], ['stop'], ['bands'], ['watch']]) {
      assertFails(await lmk([...command, '-s', serial()]), 1, notDeployed);
    }
    const deploy = await lmk(['deploy', '-s', serial(), '--json']);
    assert.equal(deploy.code, 0, deploy.stderr);
  });

  it('says nothing runs yet: status and stop exit 1 with one line', async () => {
    assertFails(await lmk(['status', '-s', serial()]), 1, new RegExp(`^lmk: no agent running on ${escape(serial())} \\(no socket at ${escape(DEVICE_STATE_DIR)}/control\\.sock\\)$`));
    assertFails(await lmk(['stop', '-s', serial()]), 1, new RegExp(`^lmk: no agent running on ${escape(serial())} \\(nothing to stop\\)$`));
  });

  it('refuses an invalid config with the bad field before touching the phone (exit 2)', async () => {
    const bad = join(work, 'bad.json');
    writeFileSync(bad, JSON.stringify({ psi: { windowMs: 5 } }));
    assertFails(await lmk(['start', '-s', serial(), '--config', bad]), 2, /^lmk: .*bad\.json: psi\.windowMs: /);
    assert.equal(existsSync(onPhone(`${DEVICE_INSTALL_DIR}/config.json`)), false, 'nothing pushed');
    const check = await lmk(['config', 'check', bad, '--json']);
    assert.equal(check.code, 2);
    assert.match((jsonOf(check) as { error: string }).error, /psi\.windowMs/);
  });

  it('starts the agent under its supervisor and waits until it answers; a second start is refused', async () => {
    const run = await lmk(['start', '-s', serial(), '--config', config, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const result = StartedSchema.parse(jsonOf(run));
    started = { agentPid: result.agentPid, supervisorPid: result.supervisorPid };
    assert.equal(result.stateDir, DEVICE_STATE_DIR);
    assert.match(result.scope, /cgroup/);
    const pushed = JSON.parse(readFileSync(onPhone(`${DEVICE_INSTALL_DIR}/config.json`), 'utf8')) as Record<string, unknown>;
    assert.equal(pushed['stateDir'], DEVICE_STATE_DIR, 'the device state dir filled in');
    assert.equal(readFileSync(onPhone(`${DEVICE_STATE_DIR}/agent.pid`), 'utf8').trim(), String(result.agentPid));
    assert.equal(readFileSync(onPhone(`${DEVICE_STATE_DIR}/supervisor.pid`), 'utf8').trim(), String(result.supervisorPid));

    assertFails(await lmk(['start', '-s', serial(), '--config', config]), 1, new RegExp(`^lmk: the agent already runs on ${escape(serial())} \\(agent pid ${result.agentPid}, supervisor pid ${result.supervisorPid}\\); lmk stop first$`));

    const status = await statusJson();
    assert.equal(status['pid'], result.agentPid);
    const text = await lmk(['status', '-s', serial()]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`^agent\\s+pid ${result.agentPid}, version `, 'm'));
    assert.match(text.stdout, /^processes by band now: .*foreground \d+/m);
  });

  it('is restarted by its supervisor when its process is killed', async () => {
    const old = Number((await adbShell(`cat ${DEVICE_STATE_DIR}/agent.pid`)).trim());
    assert.equal(old, started!.agentPid);
    await adbShell(`kill -9 ${old}`);
    let now: number | undefined;
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(500)) {
      const run = await lmk(['status', '-s', serial(), '--json']);
      if (run.code !== 0) continue;
      const pid = (jsonOf(run) as { pid: number }).pid;
      if (pid !== old) {
        now = pid;
        break;
      }
    }
    assert.ok(now !== undefined, 'a new agent answers within 30 s');
    assert.equal(readFileSync(onPhone(`${DEVICE_STATE_DIR}/agent.pid`), 'utf8').trim(), String(now));
    assert.equal(readFileSync(onPhone(`${DEVICE_STATE_DIR}/supervisor.pid`), 'utf8').trim(), String(started!.supervisorPid), 'the same supervisor');
    const log = readFileSync(onPhone(`${DEVICE_STATE_DIR}/agent.log`), 'utf8');
    assert.match(log, /agent killed by SIGKILL; restarting in 1 s/);
    started = { agentPid: now, supervisorPid: started!.supervisorPid };
  });

  let kill: KillRecord | undefined;

  it('kills an app under memory pressure, and lmk watch --json shows the kill', async () => {
    const watch = Watch.start(['-s', serial(), '--json'], env);
    watches.push(watch);
    await sleep(3000); // subscribed by then; a kill before that is seen in a later round anyway
    const apps = phone!.launcher.apps.filter((app) => !app.home);
    const kills = (): KillRecord[] =>
      watch.lines.flatMap((line) => {
        const message = JSON.parse(line) as { event?: string; record?: unknown };
        assert.notEqual(message.event, 'bands', '--json prints only the agent records');
        return message.event === 'kill' ? [KillRecordSchema.parse(message.record)] : [];
      });
    const deadline = Date.now() + 300_000;
    for (let i = 0; kills().length === 0 && Date.now() < deadline; i++) {
      const app = apps[i % apps.length]!;
      await phone!.launcher.open(app.packageName);
      for (let waited = 0; waited < 2000 && kills().length === 0; waited += 100) await sleep(100);
    }
    kill = kills()[0];
    assert.ok(kill, `no kill within 300 s; watch printed: ${watch.lines.slice(-5).join(' | ')}; stderr: ${watch.stderr}`);
    assert.match(kill.name, /^com\.example\./);
    assert.ok(kill.adj >= 0, `killed at adj ${kill.adj}`);
    assert.equal(kill.dryRun, false);
    assert.equal(await watch.stop(), 0, watch.stderr);
    watches.splice(watches.indexOf(watch), 1);
  });

  it('lmk watch shows events and band counts as text, and exits 0 on Ctrl-C', async () => {
    const watch = Watch.start(['-s', serial(), '--bands-every', '1'], env);
    watches.push(watch);
    for (let waited = 0; waited < 20_000 && !watch.lines.some((line) => / bands: /.test(line)); waited += 200) await sleep(200);
    assert.equal(await watch.stop(), 0, watch.stderr);
    watches.splice(watches.indexOf(watch), 1);
    assert.ok(watch.lines.some((line) => /^\d\d:\d\d:\d\d\.\d{3} bands: .*\bhome 1\b/.test(line)), watch.lines.join('\n'));
  });

  it('lmk logs has the kill, oldest first, as JSON and as text', async () => {
    assert.ok(kill, 'needs the kill of the test before');
    const run = await lmk(['logs', '-s', serial(), '--json']);
    assert.equal(run.code, 0, run.stderr);
    const logs = jsonOf(run) as { records: unknown[]; skipped: number; files: string[] };
    const records = logs.records.map((record) => KillRecordSchema.parse(record));
    assert.ok(records.some((record) => record.pid === kill!.pid && record.time === kill!.time), 'the watched kill is logged');
    assert.deepEqual([...records].sort((a, b) => a.time.localeCompare(b.time)), records, 'oldest first');
    assert.equal(logs.skipped, 0);
    assert.ok(logs.files.includes('kills.jsonl'));

    const limited = await lmk(['logs', '-s', serial(), '--json', '--limit', '1']);
    assert.deepEqual((jsonOf(limited) as { records: unknown[] }).records, records.slice(-1));

    const text = await lmk(['logs', '-s', serial()]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`kill ${escape(kill.name)} pid ${kill.pid} adj ${kill.adj}/${kill.band} `));
  });

  it('lmk bands lists the running apps in their bands', async () => {
    const run = await lmk(['bands', '-s', serial(), '--json']);
    assert.equal(run.code, 0, run.stderr);
    const report = BandReportSchema.parse(jsonOf(run));
    const running = await phone!.launcher.processes();
    assert.ok(running.length > 0);
    for (const app of running) {
      const listed = report.processes.find((process) => process.pid === app.pid);
      // The agent may kill an app between the two reads; a listed app is in its band.
      if (listed) assert.deepEqual([listed.name, listed.uid], [app.packageName, app.uid]);
    }
    assert.ok(report.processes.some((process) => process.name === 'com.android.launcher3' && process.band === 'home'));
    assert.deepEqual(report.processes.map((p) => p.adj), [...report.processes.map((p) => p.adj)].sort((a, b) => b - a), 'highest adj first');

    const text = await lmk(['bands', '-s', serial()]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^BAND\s+ADJ\s+PID\s+UID\s+RSS MB\s+NAME$/m);
    assert.match(text.stdout, /^home\s+600\s+\d+\s+10000\s+[\d.]+\s+com\.android\.launcher3$/m);
  });

  it('lmk reload applies a good config and refuses a bad one with its field (exit 2)', async () => {
    const good = join(work, 'reload.json');
    writeFileSync(good, JSON.stringify({ scope: { kind: 'cgroup', memcg: phone!.memcgDir, cgroup2: phone!.cgroup2Dir }, reaper: { cpus: 'all' }, killTimeoutMs: 250 }));
    const run = await lmk(['reload', good, '-s', serial()]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `config reloaded on ${serial()}\n`);
    assert.equal((StatusSchema.parse(await statusJson()).config as { killTimeoutMs: number }).killTimeoutMs, 250);
    const bad = join(work, 'reload-bad.json');
    writeFileSync(bad, JSON.stringify({ killTimeoutMs: -1 }));
    assertFails(await lmk(['reload', bad, '-s', serial()]), 2, /reload-bad\.json: killTimeoutMs: /);
  });

  it('stops the agent and its supervisor, removes the pid files, and status says not running', async () => {
    const run = await lmk(['stop', '-s', serial(), '--json']);
    assert.equal(run.code, 0, run.stderr);
    const { agentPid, supervisorPid } = started!;
    assert.deepEqual(jsonOf(run), { ok: true, agentPid, supervisorPid });
    started = undefined;
    const alive = await adbShell(`ls /proc | grep -x -e ${agentPid} -e ${supervisorPid} || true`);
    assert.equal(alive.trim(), '', 'both processes are gone');
    assert.equal(existsSync(onPhone(`${DEVICE_STATE_DIR}/agent.pid`)), false);
    assert.equal(existsSync(onPhone(`${DEVICE_STATE_DIR}/supervisor.pid`)), false);
    assertFails(await lmk(['status', '-s', serial()]), 1, new RegExp(`^lmk: no agent running on ${escape(serial())} `));
    assert.match(readFileSync(onPhone(`${DEVICE_STATE_DIR}/agent.log`), 'utf8'), /agent stopped on request \(exit 0\); supervisor exits/);
  });

  it('starts again without --config, with the config left next to the agent, and stops', async () => {
    const run = await lmk(['start', '-s', serial(), '--dry-run']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^lmk agent running on ${escape(serial())}: pid \\d+ \\(supervisor pid \\d+\\), version `));
    assert.match(run.stdout, /^ {2}scope cgroup /m);
    const status = StatusSchema.parse(await statusJson());
    assert.equal((status.config as { dryRun: boolean }).dryRun, true);
    const stop = await lmk(['stop', '-s', serial()]);
    assert.equal(stop.code, 0, stop.stderr);
    assert.match(stop.stdout, new RegExp(`^agent stopped on ${escape(serial())} \\(agent pid \\d+, supervisor pid \\d+\\)\n$`));
  });
});
