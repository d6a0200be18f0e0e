// The simulated phone, driven only through Debian's real adb server (the adb client and
// @devicefarmer/adbkit), as lmk will drive it. Runs as root.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import adbkit from '@devicefarmer/adbkit';
import { startPhone, type Phone } from '../device-sim/phone.js';

const { Adb } = adbkit;
const APP_MIB = 64;
const skip = process.getuid?.() !== 0 ? 'needs root (cgroups, zram, mounts, chroot)' : false;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function adb(args: readonly string[], input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('adb', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

function shell(phone: Phone, command: string): Promise<Run> {
  return adb(['-s', phone.serial, 'shell', command]);
}

async function shellOk(phone: Phone, command: string): Promise<string> {
  const run = await shell(phone, command);
  assert.equal(run.code, 0, `${command}: ${run.stderr}${run.stdout}`);
  return run.stdout;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Whatever a phone could leave behind on this machine, checked after stop(). */
async function assertNothingLeft(phone: Phone): Promise<void> {
  const name = phone.memcgDir.split('/').at(-1)!;
  assert.ok(!existsSync(phone.memcgDir), `${phone.memcgDir} is still there`);
  assert.ok(!existsSync(phone.cgroup2Dir), `${phone.cgroup2Dir} is still there`);
  assert.ok(!readdirSync(dirname(phone.memcgDir)).includes(name));
  assert.ok(!readdirSync(dirname(phone.cgroup2Dir)).includes(name));
  if (phone.zramDevice) {
    assert.ok(!readFileSync('/proc/swaps', 'utf8').includes(`${phone.zramDevice} `), `${phone.zramDevice} is still swapped on`);
  }
  assert.ok(!readFileSync('/proc/self/mountinfo', 'utf8').includes(phone.tempDir), 'a phone mount is visible here');
  assert.ok(!existsSync(phone.tempDir), `${phone.tempDir} is still there`);
  const devices = await adb(['devices']);
  assert.ok(!devices.stdout.includes(phone.serial), `adb still lists ${phone.serial}`);
  for (const pid of phone.pids()) assert.fail(`phone process ${pid} survived`);
}

async function oomScoreAdj(phone: Phone, pid: number): Promise<number> {
  return Number((await shellOk(phone, `cat /proc/${pid}/oom_score_adj`)).trim());
}

async function pidOf(phone: Phone, packageName: string): Promise<number> {
  return Number((await shellOk(phone, `pidof ${packageName}`)).trim());
}

function launchState(output: string): string | undefined {
  return /^LaunchState: (\w+)$/m.exec(output)?.[1];
}

describe('device-sim: a rooted phone behind the real adb server', { skip, timeout: 300_000 }, () => {
  let phone: Phone;

  before(async () => {
    phone = await startPhone({ ramMib: 1024, zramMib: 512, apps: 4, appMib: APP_MIB });
  });

  after(async () => {
    await phone?.stop();
  });

  it('is listed by adb as an online device with its model', async () => {
    const run = await adb(['devices', '-l']);
    assert.match(run.stdout, new RegExp(`^${phone.serial.replace(/\./g, '\\.')}\\s+device .*model:Nimbus_X5`, 'm'));
  });

  it('answers getprop like Android', async () => {
    assert.equal(await shellOk(phone, 'getprop ro.product.cpu.abi'), 'x86_64\n');
    assert.equal(await shellOk(phone, 'getprop ro.build.version.sdk'), '34\n');
    assert.equal(await shellOk(phone, 'getprop no.such.prop fallback'), 'fallback\n');
    assert.match(await shellOk(phone, 'getprop'), /^\[ro\.product\.model\]: \[Nimbus X5\]$/m);
  });

  it("shows nothing of this machine's /usr", async () => {
    const run = await shell(phone, 'ls /usr');
    assert.notEqual(run.code, 0);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /No such file or directory/);
  });

  it('returns exit status and separate stderr through shell_v2', async () => {
    const run = await shell(phone, 'echo out; echo err >&2; exit 3');
    assert.equal(run.code, 3);
    assert.equal(run.stdout, 'out\n');
    assert.equal(run.stderr, 'err\n');
  });

  it('pushes a 3 MB file and pulls it back identical', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lmk-sim-test-'));
    try {
      const data = randomBytes(3_000_000);
      writeFileSync(join(dir, 'blob'), data);
      const push = await adb(['-s', phone.serial, 'push', join(dir, 'blob'), '/data/local/tmp/new/dir/blob']);
      assert.equal(push.code, 0, push.stderr);
      const pull = await adb(['-s', phone.serial, 'pull', '/data/local/tmp/new/dir/blob', join(dir, 'back')]);
      assert.equal(pull.code, 0, pull.stderr);
      assert.equal(sha256(readFileSync(join(dir, 'back'))), sha256(data));
      assert.equal(await shellOk(phone, 'sha256sum /data/local/tmp/new/dir/blob'), `${sha256(data)}  /data/local/tmp/new/dir/blob\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a failed push like adbd does', async () => {
    const run = await adb(['-s', phone.serial, 'push', '/etc/hostname', '/proc/no-such-dir/file']);
    assert.equal(run.code, 1);
    assert.match(run.stdout + run.stderr, /remote secure_mkdirs failed: No such file or directory/);
  });

  it('runs su -c as root', async () => {
    assert.match(await shellOk(phone, 'su -c id'), /^uid=0\b/);
    assert.equal(await shellOk(phone, "su 0 sh -c 'echo $(id -u)'"), '0\n');
  });

  it('starts an app cold, then warm, at Android adj bands', async () => {
    const first = await shellOk(phone, 'am start -W -n com.example.mail/.Main');
    assert.equal(launchState(first), 'COLD');
    assert.match(first, /^Starting: Intent \{ cmp=com\.example\.mail\/\.Main \}$/m);
    assert.match(first, /^Status: ok$/m);
    assert.match(first, /^TotalTime: \d+$/m);
    assert.match(first, /^Complete$/m);
    const mail = await pidOf(phone, 'com.example.mail');
    assert.equal(await oomScoreAdj(phone, mail), 0);
    assert.equal(await shellOk(phone, `cat /proc/${mail}/cmdline | tr '\\0' '\\n' | head -n 1`), 'com.example.mail\n');
    assert.match(await shellOk(phone, `grep Uid /proc/${mail}/status`), /^Uid:\s+(1\d{4})\s/);

    assert.equal(launchState(await shellOk(phone, 'am start -W -n com.example.maps/.Main')), 'COLD');
    assert.equal(await oomScoreAdj(phone, mail), 700);
    assert.equal(launchState(await shellOk(phone, 'am start -W -n com.example.camera/.Main')), 'COLD');
    assert.ok((await oomScoreAdj(phone, mail)) >= 900);
    assert.equal(await oomScoreAdj(phone, await pidOf(phone, 'com.example.maps')), 700);

    const again = await shellOk(phone, 'am start -W -n com.example.mail/.Main');
    assert.equal(launchState(again), 'WARM');
    assert.equal(await pidOf(phone, 'com.example.mail'), mail);
    assert.equal(await oomScoreAdj(phone, mail), 0);
  });

  it("charges an app's memory to the phone's memory cgroup", async () => {
    const before = phone.memoryUsageBytes();
    const result = await phone.launcher.open('com.example.music');
    assert.equal(result.state, 'COLD');
    assert.ok(result.hostPid !== undefined);
    const memoryLine = readFileSync(`/proc/${result.hostPid}/cgroup`, 'utf8')
      .split('\n')
      .find((line) => /^\d+:memory:/.test(line));
    assert.ok(phone.memcgDir.endsWith(memoryLine!.split(':')[2]!), `${memoryLine} is not ${phone.memcgDir}`);
    assert.ok(phone.memoryUsageBytes() - before >= APP_MIB * 0.9 * 1024 * 1024, 'usage did not grow by the app size');
    const apps = await phone.launcher.processes();
    assert.equal(apps[0]?.packageName, 'com.example.music');
    assert.equal(apps[0]?.adj, 0);
  });

  it('works through adbkit: shell, getprop, push, stat, pull', async () => {
    const client = Adb.createClient();
    const device = client.getDevice(phone.serial);
    const output = await Adb.util.readAll(await device.shell('echo hello from $(getprop ro.product.model)'));
    assert.equal(output.toString(), 'hello from Nimbus X5\n');
    const props = await device.getProperties();
    assert.equal(props['ro.build.version.release'], '14');
    const data = randomBytes(1_500_000);
    const transfer = await device.push(Readable.from([data], { objectMode: false }), '/data/local/tmp/adbkit.bin', 0o644);
    await new Promise<void>((resolve, reject) => {
      transfer.on('end', resolve);
      transfer.on('error', reject);
    });
    const stats = await device.stat('/data/local/tmp/adbkit.bin');
    assert.equal(stats.size, data.length);
    assert.ok(stats.isFile());
    const stream = await device.pull('/data/local/tmp/adbkit.bin');
    const pulled = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => resolve(Buffer.concat(chunks)));
      stream.on('error', reject);
    });
    assert.equal(sha256(pulled), sha256(data));
  });

  it('leaves nothing behind when stopped', async () => {
    await phone.stop();
    await assertNothingLeft(phone);
  });
});

describe('device-sim: an unrooted phone (no su)', { skip, timeout: 120_000 }, () => {
  let phone: Phone;

  before(async () => {
    phone = await startPhone({ su: false, ramMib: 512, zramMib: 0, apps: 1, appMib: 16 });
  });

  after(async () => {
    await phone?.stop();
  });

  it('has no su, and adb shell is the shell user', async () => {
    const run = await shell(phone, 'su -c id');
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /su: (inaccessible or )?not found/);
    assert.equal(await shellOk(phone, 'id -u'), '2000\n');
    assert.equal(await shellOk(phone, 'getprop ro.debuggable'), '0\n');
  });

  it('leaves nothing behind when stopped', async () => {
    await phone.stop();
    await assertNothingLeft(phone);
  });
});
