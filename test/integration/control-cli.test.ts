import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { startControlServer, type ControlServer } from '../../device/control-server.js';
import { StatusSchema } from '../../src/control-protocol.js';
import { FakeHandler, runNode, sampleStatus, tempDir, waitFor } from '../support/control-fixture.js';

const agentEntry = fileURLToPath(new URL('../../device/main.js', import.meta.url));
const hostEntry = fileURLToPath(new URL('../../host/cli.js', import.meta.url));

describe('lmk-agent client and lmk status/watch/reload/stop --local', () => {
  let stateDir: string;
  let cleanup: () => Promise<void>;
  let handler: FakeHandler;
  let server: ControlServer | undefined;

  beforeEach(async () => {
    ({ dir: stateDir, cleanup } = await tempDir());
    handler = new FakeHandler();
    server = undefined;
  });

  afterEach(async () => {
    await server?.close();
    await cleanup();
  });

  async function start(): Promise<void> {
    server = await startControlServer(join(stateDir, 'control.sock'), handler);
  }

  const agent = (...args: string[]) => runNode([agentEntry, ...args]);
  const lmk = (...args: string[]) => runNode([hostEntry, ...args]);

  it('lmk-agent client status prints the status JSON and exits 0', async () => {
    await start();
    const run = await agent('client', 'status', '--state-dir', stateDir);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const reply = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.equal(reply['ok'], true);
    const { ok: _ok, ...payload } = reply;
    assert.deepEqual(payload, sampleStatus());
  });

  it('lmk-agent client status with no agent exits non-zero with one line', async () => {
    const run = await agent('client', 'status', '--state-dir', stateDir);
    assert.notEqual(run.code, 0);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr, `lmk-agent: no agent running (no socket at ${join(stateDir, 'control.sock')})\n`);
  });

  it('lmk-agent client reload sends the file, and refuses a file that is not JSON', async () => {
    await start();
    const good = join(stateDir, 'good.json');
    const bad = join(stateDir, 'bad.json');
    await writeFile(good, '{"dryRun": true}\n');
    await writeFile(bad, '{"dryRun": tru\n}');
    const ok = await agent('client', 'reload', good, '--state-dir', stateDir);
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(JSON.parse(ok.stdout), { ok: true });
    assert.deepEqual(handler.reloads, [{ dryRun: true }]);

    const refused = await agent('client', 'reload', bad, '--state-dir', stateDir);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, new RegExp(`^lmk-agent: ${bad} is not valid JSON: .+\\n$`));
    assert.equal(refused.stderr.split('\n').length, 2, 'one line');
    assert.equal(handler.reloads.length, 1, 'nothing sent');

    handler.reload = () => ({ ok: false, error: 'dryRun: expected boolean, received number' });
    const invalid = await agent('client', 'reload', good, '--state-dir', stateDir);
    assert.notEqual(invalid.code, 0);
    assert.equal(invalid.stderr, 'lmk-agent: dryRun: expected boolean, received number\n');
  });

  it('lmk-agent client subscribe prints one JSON line per message and exits 0 on SIGINT', async () => {
    await start();
    const child = spawn(process.execPath, [agentEntry, 'client', 'subscribe', '--state-dir', stateDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await waitFor(() => handler.listeners.size === 1, 'the client to subscribe');
    handler.emit({ event: 'pressure', n: 1 });
    await waitFor(() => stdout.split('\n').length > 1, 'the first line');
    handler.emit({ event: 'kill', record: { n: 2 } });
    await waitFor(() => stdout.split('\n').length > 2, 'the second line');
    child.kill('SIGINT');
    assert.equal(await exited, 0, stderr);
    assert.deepEqual(
      stdout.trim().split('\n').map((line) => JSON.parse(line)),
      [{ event: 'pressure', n: 1 }, { event: 'kill', record: { n: 2 } }],
    );
  });

  it('lmk-agent client stop asks the agent to stop', async () => {
    await start();
    const run = await agent('client', 'stop', '--state-dir', stateDir);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { ok: true });
    assert.equal(handler.stops, 1);
  });

  it('lmk status --local prints a readable summary', async () => {
    await start();
    const run = await lmk('status', '--local', '--state-dir', stateDir);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^agent\s+pid 4242, version 0\.1\.0-test, up 1h 02m 03s$/m);
    assert.match(run.stdout, /^reaping\s+process_mrelease, on CPUs 0-3$/m);
    assert.match(run.stdout, /^PSI now\s+avg10 some 3\.21% full 0\.50%$/m);
    assert.match(run.stdout, /^kills\s+3 \(dry-run decisions 0, reap failures 1\)$/m);
    assert.match(run.stdout, /^by band\s+cached 2, previous 1$/m);
    assert.match(run.stdout, /^\s+\d\d:\d\d:\d\d\.678\s+12873\s+com\.example\.mail\s+905\s+cached\s+LOW_MEM\s+35 ms on cpu 1\s+180224 kB$/m);
  });

  it('lmk status --local --json prints the status object', async () => {
    await start();
    const run = await lmk('status', '--local', '--json', '--state-dir', stateDir);
    assert.equal(run.code, 0, run.stderr);
    const status = StatusSchema.parse(JSON.parse(run.stdout));
    assert.deepEqual(status, sampleStatus());
  });

  it('lmk status --local with no agent fails with one line', async () => {
    const run = await lmk('status', '--local', '--state-dir', stateDir);
    assert.equal(run.code, 1);
    assert.equal(run.stderr, `lmk: no agent running (no socket at ${join(stateDir, 'control.sock')})\n`);
  });

  it('lmk status, watch, reload and stop without --local go to a device through adb, and say when it is unreachable', async () => {
    const config = join(stateDir, 'reload.json');
    await writeFile(config, '{"dryRun": true}');
    for (const args of [['status'], ['watch'], ['reload', config], ['stop']]) {
      const run = await lmk(...args, '-s', 'emulator-5554', '--adb-host', 'adb.invalid');
      assert.equal(run.code, 1, args.join(' '));
      assert.match(run.stderr, /^lmk: adb server unreachable at adb\.invalid:\d+ /, args.join(' '));
      assert.equal(run.stderr.trim().split('\n').length, 1);
    }
  });

  it('lmk reload --local relays the agent verdict', async () => {
    await start();
    const file = join(stateDir, 'config.json');
    await writeFile(file, '{"dryRun": true}');
    const ok = await lmk('reload', file, '--local', '--state-dir', stateDir);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, 'config reloaded\n');
    handler.reload = () => ({ ok: false, error: 'dryRun: expected boolean' });
    const refused = await lmk('reload', file, '--local', '--state-dir', stateDir);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, 'lmk: the agent refused the config (it keeps the old one): dryRun: expected boolean\n');
  });

  it('lmk stop --local stops the agent', async () => {
    await start();
    const run = await lmk('stop', '--local', '--json', '--state-dir', stateDir);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { ok: true });
    assert.equal(handler.stops, 1);
  });

  for (const json of [false, true]) {
    it(`lmk watch --local${json ? ' --json' : ''} prints one line per event and ends when the agent goes`, async () => {
      await start();
      const child = spawn(process.execPath, [hostEntry, 'watch', '--local', ...(json ? ['--json'] : []), '--state-dir', stateDir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      await waitFor(() => handler.listeners.size === 1, 'the watcher to subscribe');
      const pressure = { event: 'pressure', time: '2025-01-02T03:04:05.000Z', trigger: 'some', psi: { someAvg10: 12.34, fullAvg10: 1.5 } };
      const kill = { event: 'kill', record: (sampleStatus()['recentKills'] as unknown[])[0] };
      handler.emit(pressure);
      handler.emit(kill);
      await waitFor(() => stdout.split('\n').length > 2, 'two lines');
      await server!.close();
      server = undefined;
      assert.equal(await exited, 1, 'the agent went away');
      assert.equal(stderr, 'lmk: the agent closed the connection\n');
      const lines = stdout.trim().split('\n');
      if (json) {
        assert.deepEqual(lines.map((line) => JSON.parse(line)), [pressure, kill]);
      } else {
        assert.match(lines[0]!, /^\d\d:\d\d:\d\d\.000 pressure \(some\) avg10 some 12\.34% full 1\.50%$/);
        assert.match(lines[1]!, /^\d\d:\d\d:\d\d\.678 kill com\.example\.mail pid 12873 adj 905\/cached LOW_MEM, reap 35 ms on cpu 1, freed 180224 kB$/);
      }
    });
  }

  it('lmk watch --local exits 0 when interrupted', async () => {
    await start();
    const child = spawn(process.execPath, [hostEntry, 'watch', '--local', '--state-dir', stateDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await waitFor(() => handler.listeners.size === 1, 'the watcher to subscribe');
    child.kill('SIGINT');
    assert.equal(await exited, 0, stderr);
    await waitFor(() => handler.listeners.size === 0, 'the subscription to end');
  });
});
