// lmk start / status / watch / bands / logs / stop --local: the supervisor and the commands on
// this machine, as a user runs them (node dist/host/cli.js …). The agent runs in dry-run mode in
// a state directory of the test's own, so it never kills anything here. Runs as root.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { BandReportSchema } from '../../src/band-report.js';
import { StatusSchema } from '../../src/control-protocol.js';
import { StartedSchema } from '../../src/supervisor-protocol.js';
import { jsonOf, lastErrorLine, LMK_CLI, lmkEnv, runLmk, type LmkRun } from '../support/lmk-cli.js';

const skip = process.getuid?.() !== 0 ? 'needs root (the agent)' : false;

/** Whether a process runs (a zombie waiting for init to reap it does not). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('lmk start, status, watch, bands, logs and stop --local, under the supervisor', { skip, timeout: 300_000 }, () => {
  let work = '';
  let stateDir = '';
  let config = '';
  const env = lmkEnv();
  const lmk = (args: readonly string[]): Promise<LmkRun> => runLmk(args, env, 120_000);
  const local = (command: string, ...args: string[]): Promise<LmkRun> => lmk([command, '--local', '--state-dir', stateDir, ...args]);
  const pidFile = (name: string): number => Number(readFileSync(join(stateDir, name), 'utf8').trim());
  const startOk = async (args: readonly string[] = []): Promise<{ agentPid: number; supervisorPid: number }> => {
    const run = await lmk(['start', '--local', '--config', config, '--json', ...args]);
    assert.equal(run.code, 0, run.stderr);
    return StartedSchema.parse(jsonOf(run));
  };

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'lmk-local-agent-'));
    stateDir = join(work, 'state');
    config = join(work, 'config.json');
    writeFileSync(config, JSON.stringify({ dryRun: true, stateDir }));
  });

  afterEach(async () => {
    // Whatever a test left running: stop it (exit 1 when nothing runs).
    await local('stop');
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  it('checks a config here: the effective config, or the bad field with exit 2', async () => {
    const ok = await lmk(['config', 'check', config]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^ok\n\{\n/);
    assert.equal((JSON.parse(ok.stdout.slice(3)) as { killTimeoutMs: number }).killTimeoutMs, 100, 'defaults filled in');
    const bad = join(work, 'bad.json');
    writeFileSync(bad, JSON.stringify({ reaper: { cpus: [-1] } }));
    const refused = await lmk(['config', 'check', bad]);
    assert.equal(refused.code, 2);
    assert.equal(refused.stderr, `lmk: ${bad}: reaper.cpus.0: Too small: expected number to be >=0\n`);
    const start = await lmk(['start', '--local', '--config', bad]);
    assert.equal(start.code, 2);
    assert.match(lastErrorLine(start), /reaper\.cpus\.0/);
    assert.equal(existsSync(stateDir), false, 'nothing started');
  });

  it('starts, refuses a second start, answers status, restarts a killed agent, and stops everything', async () => {
    const started = await startOk();
    assert.equal(pidFile('agent.pid'), started.agentPid);
    assert.equal(pidFile('supervisor.pid'), started.supervisorPid);
    const again = await lmk(['start', '--local', '--config', config]);
    assert.equal(again.code, 1);
    assert.equal(lastErrorLine(again), `lmk: the agent already runs on this machine (agent pid ${started.agentPid}, supervisor pid ${started.supervisorPid}); lmk stop first`);

    const status = await local('status', '--json');
    assert.equal(status.code, 0, status.stderr);
    assert.equal(StatusSchema.parse(jsonOf(status)).pid, started.agentPid);

    process.kill(started.agentPid, 'SIGKILL');
    let restarted = 0;
    await until(async () => {
      const run = await local('status', '--json');
      restarted = run.code === 0 ? StatusSchema.parse(jsonOf(run)).pid : 0;
      return restarted !== 0 && restarted !== started.agentPid;
    }, 'a new agent');
    assert.equal(pidFile('agent.pid'), restarted);
    assert.equal(pidFile('supervisor.pid'), started.supervisorPid);

    const stop = await local('stop', '--json');
    assert.equal(stop.code, 0, stop.stderr);
    assert.deepEqual(jsonOf(stop), { ok: true, agentPid: restarted, supervisorPid: started.supervisorPid });
    assert.equal(alive(restarted), false);
    assert.equal(alive(started.supervisorPid), false);
    assert.equal(existsSync(join(stateDir, 'agent.pid')), false);
    assert.equal(existsSync(join(stateDir, 'supervisor.pid')), false);
    const log = readFileSync(join(stateDir, 'agent.log'), 'utf8');
    assert.match(log, /agent killed by SIGKILL; restarting in 1 s/);
    assert.match(log, /agent stopped on request \(exit 0\); supervisor exits/);

    const stopped = await local('stop');
    assert.equal(stopped.code, 1);
    assert.equal(stopped.stderr, 'lmk: no agent running on this machine (nothing to stop)\n');
    const status2 = await local('status');
    assert.equal(status2.code, 1);
    assert.match(status2.stderr, /^lmk: no agent running \(no socket at /);
  });

  it('watch prints band counts, bands lists the agent, logs has no kills yet', async () => {
    const started = await startOk();
    const child = spawn(process.execPath, [LMK_CLI, 'watch', '--local', '--state-dir', stateDir, '--bands-every', '0.5'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await until(() => stdout.split('\n').filter((line) => / bands: /.test(line)).length >= 2, 'two band lines', 15_000);
    child.kill('SIGINT');
    assert.equal(await exited, 0, stderr);
    assert.match(stdout, /^\d\d:\d\d:\d\d\.\d{3} bands: .*foreground \d+/m);

    const bands = await lmk(['bands', '--local', '--json']); // reads /proc: no state directory
    assert.equal(bands.code, 0, bands.stderr);
    const report = BandReportSchema.parse(jsonOf(bands));
    const agent = report.processes.find((process) => process.pid === started.agentPid);
    assert.ok(agent, 'the agent is listed');
    assert.equal(agent.uid, 0);
    assert.ok(agent.rssKb > 0);

    const logs = await local('logs');
    assert.equal(logs.code, 0, logs.stderr);
    assert.equal(logs.stdout, 'no kills logged on this machine\n');
    const json = await local('logs', '--json');
    assert.deepEqual((jsonOf(json) as { records: unknown[] }).records, []);
  });

  it('the supervisor stops the agent and exits on SIGTERM; an agent stopped by SIGTERM is not restarted', async () => {
    const first = await startOk();
    process.kill(first.supervisorPid, 'SIGTERM');
    await until(() => !alive(first.supervisorPid) && !alive(first.agentPid), 'both to exit');
    assert.equal(existsSync(join(stateDir, 'supervisor.pid')), false);
    assert.equal(existsSync(join(stateDir, 'agent.pid')), false);

    const second = await startOk();
    process.kill(second.agentPid, 'SIGTERM');
    await until(() => !alive(second.supervisorPid), 'the supervisor to exit');
    assert.equal((await local('stop')).code, 1, 'nothing left to stop');
  });

  it('gives up on an agent that cannot start: the end of agent.log, exit 1, nothing left running', async () => {
    const broken = join(work, 'broken.json');
    writeFileSync(broken, JSON.stringify({ dryRun: true, stateDir, scope: { kind: 'cgroup', cgroup2: join(work, 'no-such-cgroup') } }));
    const run = await lmk(['start', '--local', '--config', broken, '--wait', '3']);
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stderr, /^lmk: the end of .*agent\.log on this machine:\n/);
    assert.match(run.stderr, /no-such-cgroup/, 'the reason is in the tail');
    assert.match(lastErrorLine(run), /^lmk: the agent did not start on this machine: the agent did not answer within 3 s \(stopped it again\)$/);
    const pids = JSON.parse(
      await new Promise<string>((resolve) => {
        const child = spawn(process.execPath, [LMK_CLI.replace(/host\/cli\.js$/, 'device/main.js'), 'pids', '--state-dir', stateDir], { stdio: ['ignore', 'pipe', 'ignore'] });
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
        child.once('close', () => resolve(out));
      }),
    ) as { supervisorPid: number | null; agentPid: number | null };
    assert.deepEqual([pids.supervisorPid, pids.agentPid], [null, null]);
  });
});
