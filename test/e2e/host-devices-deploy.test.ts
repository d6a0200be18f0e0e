// lmk devices / doctor / deploy, run as a user runs them (node dist/host/cli.js …), through a real
// adb server on a private port and the simulated phone. Runs as root.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BundleManifestSchema } from '../../host/bundle/manifest.js';
import type { DeploySummary } from '../../host/device/deploy/deploy.js';
import type { DeviceSummary } from '../../host/device/device-summary.js';
import { DEVICE_INSTALL_DIR, DEVICE_STATE_DIR } from '../../host/device/device.js';
import { DoctorReportSchema } from '../../src/doctor-report.js';
import { startPhone, type Phone } from '../device-sim/phone.js';
import { adbOn, freeAdbPort, killAdbServer, listening, startAdbServer } from '../support/adb-server.js';
import { jsonOf, lastErrorLine, lmkEnv, runLmk, type LmkRun } from '../support/lmk-cli.js';

const skip = process.getuid?.() !== 0 ? 'needs root (the simulated phone: cgroups, mounts, chroot)' : false;

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** A failed run: non-zero, and one line on stderr saying why. */
function assertFails(run: LmkRun, pattern: RegExp): void {
  assert.notEqual(run.code, 0, `expected a failure, got exit 0: ${run.stdout}`);
  assert.match(lastErrorLine(run), pattern, run.stderr);
  assert.equal(run.stderr.trim().split('\n').filter((line) => line.startsWith('lmk: ') && !line.startsWith('lmk: no adb server')).length, 1, run.stderr);
}

describe('lmk devices, doctor and deploy through the real adb server', { skip, timeout: 900_000 }, () => {
  let port = 0;
  let phone: Phone | undefined;
  let env: NodeJS.ProcessEnv = {};
  let configDir = '';
  /** The install dir on the phone, as this machine sees it. */
  const installed = (path = ''): string => `${phone!.rootDir}${DEVICE_INSTALL_DIR}${path === '' ? '' : `/${path}`}`;
  const lmk = (args: readonly string[], extra: NodeJS.ProcessEnv = {}): Promise<LmkRun> => runLmk(args, { ...env, ...extra });
  const deploy = async (args: readonly string[] = []): Promise<DeploySummary> => {
    const run = await lmk(['deploy', '-s', phone!.serial, '--json', ...args]);
    assert.equal(run.code, 0, run.stderr);
    return jsonOf(run) as DeploySummary;
  };

  before(async () => {
    port = await freeAdbPort();
    await startAdbServer(port);
    env = lmkEnv({ ANDROID_ADB_SERVER_PORT: String(port) });
    configDir = mkdtempSync(join(tmpdir(), 'lmk-deploy-test-'));
    phone = await startPhone({ adbServerPort: port, ramMib: 1024, zramMib: 0, apps: 2 });
  });

  after(async () => {
    try {
      await phone?.stop();
    } finally {
      await killAdbServer(port);
      rmSync(configDir, { recursive: true, force: true });
    }
  });

  it('lists the phone with its model, ABI, Android version and root', async () => {
    const run = await lmk(['devices', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const devices = jsonOf(run) as DeviceSummary[];
    assert.equal(devices.length, 1);
    const [device] = devices;
    assert.equal(device?.serial, phone!.serial);
    assert.equal(device?.state, 'device');
    assert.equal(device?.model, 'Nimbus X5');
    assert.equal(device?.abi, 'x86_64');
    assert.equal(device?.release, '14');
    assert.equal(device?.sdk, 34);
    assert.match(device?.kernel ?? '', /^\d+\.\d+/);
    assert.equal(device?.root, true);
    assert.equal(device?.rootMethod, 'adbd');
    assert.equal(typeof device?.psi, 'boolean');
    assert.equal(device?.processMrelease, null, 'unknown until deployed');
    assert.equal(device?.agentDeployed, false);
    assert.equal(device?.agentRunning, null);

    const table = await lmk(['devices']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, new RegExp(`^${phone!.serial.replace(/\./g, '\\.')}\\s+device\\s+Nimbus X5\\s+x86_64\\s+14 \\(SDK 34\\)`, 'm'));
    assert.match(table.stdout, /deploy to probe/);
  });

  it('says lmk is not deployed when doctor runs before deploy', async () => {
    assertFails(await lmk(['doctor', '-s', phone!.serial]), new RegExp(`^lmk: lmk is not deployed on ${phone!.serial.replace(/\./g, '\\.')}: run lmk deploy$`));
  });

  it('deploys the x86_64 bundle, manifest last, and the agent answers doctor there', async () => {
    const summary = await deploy();
    assert.equal(summary.serial, phone!.serial);
    assert.equal(summary.abi, 'x86_64');
    assert.equal(summary.runtime, 'bundled');
    assert.equal(summary.placement, 'direct');
    assert.equal(summary.skipped, 0);
    assert.equal(summary.pushed.length, summary.files + 1);
    assert.equal(summary.pushed.at(-1), 'manifest.json');
    assert.ok(summary.pushed.includes('node') && summary.pushed.includes('lmk-agent'));
    assert.ok(summary.bytesPushed > 50_000_000, `${summary.bytesPushed} bytes`);

    const manifest = BundleManifestSchema.parse(JSON.parse(readFileSync(installed('manifest.json'), 'utf8')));
    assert.equal(manifest.installDir, DEVICE_INSTALL_DIR);
    for (const file of manifest.files) assert.equal(sha256(installed(file.path)), file.sha256, file.path);
    assert.equal(readFileSync(installed('lmk-agent'), 'utf8').startsWith('#!/system/bin/sh'), true);

    const doctor = await lmk(['doctor', '-s', phone!.serial, '--json']);
    assert.equal(doctor.code, 0, doctor.stderr);
    const report = DoctorReportSchema.parse(jsonOf(doctor));
    assert.equal(report.android, true);
    assert.equal(report.abi, 'x86_64');
    assert.equal(report.root, true);

    const human = await lmk(['doctor', '-s', phone!.serial]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /^process_mrelease\s+(yes|no|unknown)$/m);
  });

  it('lists the deployed agent with what it probed', async () => {
    const run = await lmk(['devices', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const [device] = jsonOf(run) as DeviceSummary[];
    assert.equal(device?.agentDeployed, true);
    assert.equal(typeof device?.processMrelease, 'boolean');
    assert.equal(device?.agentRunning, false, 'deployed, not started');
  });

  it('pushes nothing when nothing changed', async () => {
    const summary = await deploy();
    assert.deepEqual(summary.pushed, []);
    assert.equal(summary.bytesPushed, 0);
    assert.equal(summary.skipped, summary.files);
    assert.deepEqual(summary.deleted, []);
  });

  it('pushes only a changed config, with the device state dir filled in', async () => {
    const config = join(configDir, 'lmk.json');
    writeFileSync(config, JSON.stringify({ dryRun: true }));
    const first = await deploy(['--config', config]);
    assert.deepEqual(first.pushed, ['config.json']);
    assert.equal(first.config, 'pushed');
    assert.deepEqual(JSON.parse(readFileSync(installed('config.json'), 'utf8')), { dryRun: true, stateDir: DEVICE_STATE_DIR });

    writeFileSync(config, JSON.stringify({ dryRun: true, killTimeoutMs: 250 }));
    const changed = await deploy(['--config', config]);
    assert.deepEqual(changed.pushed, ['config.json']);
    assert.equal(JSON.parse(readFileSync(installed('config.json'), 'utf8')).killTimeoutMs, 250);

    const same = await deploy(['--config', config]);
    assert.deepEqual(same.pushed, []);
    assert.equal(same.config, 'unchanged');
  });

  it('refuses an invalid config with the bad field, before touching the device', async () => {
    const bad = join(configDir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ psi: { windowMs: 5 } }));
    const before = readFileSync(installed('config.json'), 'utf8');
    assertFails(await lmk(['deploy', '-s', phone!.serial, '--config', bad]), /^lmk: .*bad\.json: psi\.windowMs: /);
    assert.equal(readFileSync(installed('config.json'), 'utf8'), before);
  });

  it('pushes again what went missing on the device, and everything after a garbage manifest', async () => {
    unlinkSync(installed('agent/main.js'));
    const repaired = await deploy();
    assert.deepEqual(repaired.pushed, ['agent/main.js']);

    writeFileSync(installed('manifest.json'), '{"not": "a manifest"');
    const all = await deploy();
    assert.equal(all.pushed.length, all.files + 1);
    assert.equal(all.skipped, 0);
  });

  it('drops node and lib/ for a node already on the device, and brings them back', async () => {
    const refused = await lmk(['deploy', '-s', phone!.serial, '--runtime', '/system/bin/node-elsewhere']);
    assertFails(refused, /no executable node at \/system\/bin\/node-elsewhere/);

    const sh = await deploy(['--runtime', '/system/bin/sh']);
    assert.ok(sh.deleted.includes('node') && sh.deleted.includes('lib/libc.so.6'), sh.deleted.join(' '));
    assert.deepEqual(sh.pushed, ['lmk-agent', 'manifest.json']);
    assert.ok(!existsSync(installed('node')) && !existsSync(installed('lib')));
    assert.match(readFileSync(installed('lmk-agent'), 'utf8'), /node='\/system\/bin\/sh'/);

    const back = await deploy();
    assert.ok(back.pushed.includes('node') && back.pushed.includes('lib/libc.so.6') && back.pushed.includes('lmk-agent'));
    assert.equal(back.pushed.at(-1), 'manifest.json');
    const doctor = await lmk(['doctor', '-s', phone!.serial, '--json']);
    assert.equal(doctor.code, 0, doctor.stderr);
  });

  it('refuses an ABI it has no bundle for', async () => {
    const buildProp = `${phone!.rootDir}/system/build.prop`;
    const original = readFileSync(buildProp, 'utf8');
    try {
      writeFileSync(buildProp, original.replace('ro.product.cpu.abi=x86_64', 'ro.product.cpu.abi=armeabi-v7a'));
      assertFails(await lmk(['deploy', '-s', phone!.serial]), /armeabi-v7a is not supported yet/);
    } finally {
      writeFileSync(buildProp, original);
    }
  });

  it('fails clearly for an unknown or malformed serial', async () => {
    assertFails(await lmk(['doctor', '-s', '127.0.0.1:1']), new RegExp(`^lmk: no device 127\\.0\\.0\\.1:1 \\(adb sees ${phone!.serial.replace(/\./g, '\\.')}\\)$`));
    assertFails(await lmk(['deploy'], { ANDROID_SERIAL: 'emulator-5554' }), /^lmk: no device emulator-5554 /);
    assertFails(await lmk(['doctor', '-s', "x'; reboot"]), /is not a device serial$/);
    assertFails(await lmk(['devices', '-s', 'nope']), /^lmk: no device nope/);
  });

  it('says no root on a phone without su, and asks for -s with two phones', async () => {
    const plain = await startPhone({ adbServerPort: port, su: false, ramMib: 512, zramMib: 0, apps: 1 });
    try {
      assertFails(await lmk(['doctor', '-s', plain.serial]), new RegExp(`^lmk: no root on ${plain.serial.replace(/\./g, '\\.')}: su is missing$`));
      assertFails(await lmk(['doctor']), /^lmk: several devices: .*; choose one with -s SERIAL$/);
      const run = await lmk(['devices', '--json']);
      assert.equal(run.code, 0, run.stderr);
      const devices = jsonOf(run) as DeviceSummary[];
      const unrooted = devices.find((device) => device.serial === plain.serial);
      assert.equal(unrooted?.root, false);
      assert.equal(unrooted?.rootMethod, null);
      assert.equal(devices.find((device) => device.serial === phone!.serial)?.root, true);
    } finally {
      await plain.stop();
    }
  });

  it('exits non-zero for an unknown command', async () => {
    const run = await lmk(['frobnicate']);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /unknown command 'frobnicate'/);
  });

  it('says the adb server is unreachable when it is stopped and cannot be started', async () => {
    await killAdbServer(port);
    assert.equal(await listening(port), false);
    // No adb on PATH: lmk cannot start a server, so nothing answers at the port.
    assertFails(await lmk(['devices', '--json'], { PATH: '/nonexistent' }), new RegExp(`^lmk: adb server unreachable at 127\\.0\\.0\\.1:${port} \\(connection refused; adb start-server: no adb on PATH\\)$`));
    assertFails(await lmk(['doctor', '-s', phone!.serial], { PATH: '/nonexistent' }), new RegExp(`^lmk: adb server unreachable at 127\\.0\\.0\\.1:${port} `));
    // Not a local address: never started, just reported.
    assertFails(await lmk(['deploy', '--adb-host', 'adb.invalid']), /^lmk: adb server unreachable at adb\.invalid:/);
    assertFails(await lmk(['devices', '--adb-port', '70000']), /^lmk: adb server port must be a number from 1 to 65535/);
  });

  it('starts a local adb server when none runs', async () => {
    assert.equal(await listening(port), false);
    const run = await lmk(['devices', '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, new RegExp(`starting one \\(adb -P ${port} start-server\\)`));
    assert.deepEqual(jsonOf(run), [], 'a new server has not heard of the phone');
    // Give the phone back to the new server, so stopping it disconnects it cleanly.
    await adbOn(port, ['connect', phone!.serial]);
  });
});
