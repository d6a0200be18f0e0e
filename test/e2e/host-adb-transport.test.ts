// The Device contract over adb (host/adb, host/device): exit statuses through legacy shell:,
// quoting, streaming lines with abort, push/pull, getprop, root probing and device selection.
// The pure parts run anywhere; the device parts need root (the simulated phone).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CliError } from '../../host/cli-error.js';
import { selectDevice } from '../../host/adb/device-selection.js';
import { newExitMarker, splitExitMarker, withExitMarker } from '../../host/adb/exit-marker.js';
import { parseGetprop } from '../../host/adb/getprop.js';
import { MarkedLineSplitter } from '../../host/adb/marked-lines.js';
import { serverAddress } from '../../host/adb/server-address.js';
import type { ShellRun } from '../../host/adb/shell.js';
import { shellQuote } from '../../host/adb/shell-quote.js';
import type { AdbDevice } from '../../host/device/adb-device.js';
import { openDevice } from '../../host/device/open-device.js';
import { asRoot, probeRoot } from '../../host/device/root.js';
import { startPhone, type Phone } from '../device-sim/phone.js';
import { freeAdbPort, killAdbServer, startAdbServer } from '../support/adb-server.js';

const NASTY = ["it's", '$(touch /tmp/pwned)', '`id`', 'a\nb', "'\\''", '"; exit 9; "', '*', '', ' lead and trail ', 'ünïcødé ✓', '\\n'];

/** What the host's own sh makes of a command: the quoting must survive any POSIX shell. */
function hostSh(command: string): string {
  return execFileSync('/bin/sh', ['-c', command], { encoding: 'utf8' });
}

describe('shellQuote', () => {
  it('passes every value through a shell unchanged', () => {
    for (const value of NASTY) assert.equal(hostSh(`printf '%s' ${shellQuote(value)}`), value);
    assert.equal(hostSh(`printf '%s' ${shellQuote(`sh -c ${shellQuote("echo 'deep'")}`)}`), "sh -c 'echo '\\''deep'\\'''");
  });

  it('refuses NUL', () => {
    assert.throws(() => shellQuote('a\0b'));
  });
});

describe('exit marker', () => {
  it('gets output and status back from a wrapped command, whatever the command does', () => {
    for (const [command, output, status] of [
      ['echo out; echo err >&2; exit 3', 'out\nerr\n', 3],
      ["printf 'no newline'", 'no newline', 0],
      ["printf 'two\\n\\n'", 'two\n\n', 0],
      ['exit 255', '', 255],
      ['true', '', 0],
    ] as const) {
      const marker = newExitMarker();
      const split = splitExitMarker(hostSh(withExitMarker(command, marker)), marker);
      assert.deepEqual(split, { ok: true, output, exitCode: status }, command);
    }
  });

  it('treats a missing or mangled marker as a broken stream', () => {
    const marker = newExitMarker();
    assert.equal(splitExitMarker('output, then the connection dropped', marker).ok, false);
    assert.equal(splitExitMarker(`x\n${marker}`, marker).ok, false);
    assert.equal(splitExitMarker(`x\n${marker}abc\n`, marker).ok, false);
    assert.equal(splitExitMarker(`x\n${marker}999\n`, marker).ok, false);
    assert.deepEqual(splitExitMarker(`x\n${marker}0\nlate background output`, marker), { ok: true, output: 'xlate background output', exitCode: 0 });
  });

  it('splits a marked stream into lines at any chunk boundary', () => {
    const marker = newExitMarker();
    for (const [command, lines] of [
      ['echo a; echo; echo; printf b', ['a', '', '', 'b']],
      ['echo a; echo', ['a', '']],
      ['echo ünï; printf "✓\\r\\n"', ['ünï', '✓']],
      ['true', []],
    ] as const) {
      const bytes = Buffer.from(hostSh(withExitMarker(command, marker)));
      const seen: string[] = [];
      const splitter = new MarkedLineSplitter(marker, (line) => seen.push(line));
      for (let at = 0; at < bytes.length; at++) splitter.push(bytes.subarray(at, at + 1));
      splitter.end();
      assert.deepEqual(seen, lines, command);
      assert.equal(splitter.exitCode, 0);
    }
  });
});

describe('getprop parsing', () => {
  it('reads [name]: [value] lines, values spanning lines included', () => {
    const props = parseGetprop('[ro.product.model]: [Pixel 8]\n[empty]: []\n[multi]: [one\ntwo]\n[ro.build.version.sdk]: [34]\n');
    assert.equal(props.get('ro.product.model'), 'Pixel 8');
    assert.equal(props.get('empty'), '');
    assert.equal(props.get('multi'), 'one\ntwo');
    assert.equal(props.get('ro.build.version.sdk'), '34');
  });

  it('refuses output that is not getprop output', () => {
    assert.throws(() => parseGetprop('[a]: [1]\nsh: getprop: not found\n'), /not '\[name\]: \[value\]'/);
  });
});

describe('device selection', () => {
  const ready = (serial: string): { serial: string; state: string } => ({ serial, state: 'device' });

  it('takes the only ready device, or the one asked for', () => {
    assert.equal(selectDevice([ready('A')], undefined).serial, 'A');
    assert.equal(selectDevice([ready('A'), ready('B')], 'B').serial, 'B');
    assert.equal(selectDevice([ready('A'), { serial: 'B', state: 'offline' }], undefined).serial, 'A');
  });

  it('says why it cannot choose', () => {
    assert.throws(() => selectDevice([], undefined), /^CliError: no device: adb sees none/);
    assert.throws(() => selectDevice([ready('A'), ready('B')], undefined), /several devices: A, B; choose one with -s SERIAL/);
    assert.throws(() => selectDevice([ready('A')], 'C'), /no device C \(adb sees A\)/);
    assert.throws(() => selectDevice([{ serial: 'A', state: 'unauthorized' }], undefined), /A is unauthorized: allow USB debugging/);
    assert.throws(() => selectDevice([{ serial: 'A', state: 'offline' }], 'A'), /A is offline/);
    assert.throws(() => selectDevice([ready('A')], 'A B'), /is not a device serial/);
  });
});

describe('adb server address', () => {
  it('takes the options, then $ANDROID_ADB_SERVER_PORT, then 127.0.0.1:5037', () => {
    assert.deepEqual(serverAddress({}, {}), { host: '127.0.0.1', port: 5037 });
    assert.deepEqual(serverAddress({}, { ANDROID_ADB_SERVER_PORT: '5040' }), { host: '127.0.0.1', port: 5040 });
    assert.deepEqual(serverAddress({ adbHost: 'phone-lab', adbPort: '6000' }, { ANDROID_ADB_SERVER_PORT: '5040' }), { host: 'phone-lab', port: 6000 });
    assert.throws(() => serverAddress({ adbPort: '0' }, {}), CliError);
    assert.throws(() => serverAddress({ adbHost: 'a b' }, {}), CliError);
  });
});

describe('root probing', () => {
  /** A device whose shell answers by a table; records what was asked. */
  function fakeShell(answers: Record<string, ShellRun | 'timeout'>): { run: (command: string) => Promise<ShellRun>; asked: string[] } {
    const asked: string[] = [];
    return {
      asked,
      run: async (command) => {
        asked.push(command);
        const answer = answers[command];
        if (answer === 'timeout') throw new CliError(`'${command}' on X did not finish within 20 s`);
        return answer ?? { output: `sh: ${command.split(' ')[0]}: not found\n`, exitCode: 127 };
      },
    };
  }
  const uid = (id: number): ShellRun => ({ output: `${id}\n`, exitCode: 0 });

  it('uses adbd when it is root, then su -c, then AOSP su 0', async () => {
    assert.deepEqual(await probeRoot(fakeShell({ 'id -u': uid(0) }).run), { method: 'adbd' });
    assert.deepEqual(await probeRoot(fakeShell({ 'id -u': uid(2000), [asRoot('su -c', 'id -u')]: uid(0) }).run), { method: 'su -c' });
    const aosp = fakeShell({
      'id -u': uid(2000),
      [asRoot('su -c', 'id -u')]: { output: 'su: unknown user -c\n', exitCode: 1 },
      [asRoot('su 0 sh -c', 'id -u')]: uid(0),
    });
    assert.deepEqual(await probeRoot(aosp.run), { method: 'su 0 sh -c' });
    assert.deepEqual(aosp.asked, ['id -u', "su -c 'id -u'", "su 0 sh -c 'id -u'"]);
  });

  it('says whether su is missing, denied or not answering', async () => {
    assert.deepEqual(await probeRoot(fakeShell({ 'id -u': uid(2000) }).run), { method: null, reason: 'su is missing' });
    const denied = await probeRoot(fakeShell({ 'id -u': uid(2000), [asRoot('su -c', 'id -u')]: { output: 'Permission denied\n', exitCode: 1 }, [asRoot('su 0 sh -c', 'id -u')]: { output: 'Permission denied\n', exitCode: 1 } }).run);
    assert.deepEqual(denied, { method: null, reason: 'su was denied: Permission denied' });
    const silent = await probeRoot(fakeShell({ 'id -u': uid(2000), [asRoot('su -c', 'id -u')]: 'timeout' }).run);
    assert.match(silent.method === null ? silent.reason : '', /su did not answer within 20 s/);
  });

  it('quotes the command it hands to su', () => {
    assert.equal(asRoot('su -c', "echo 'x'"), "su -c 'echo '\\''x'\\'''");
    assert.equal(asRoot('su 0 sh -c', 'id'), "su 0 sh -c 'id'");
    assert.equal(asRoot('adbd', 'id'), 'id');
  });
});

const skip = process.getuid?.() !== 0 ? 'needs root (the simulated phone: cgroups, mounts, chroot)' : false;

describe('an AdbDevice on the simulated phone, through a private adb server', { skip, timeout: 300_000 }, () => {
  let port = 0;
  let phone: Phone | undefined;
  let device: AdbDevice;
  let scratch = '';

  before(async () => {
    port = await freeAdbPort();
    await startAdbServer(port);
    scratch = mkdtempSync(join(tmpdir(), 'lmk-transport-test-'));
    phone = await startPhone({ adbServerPort: port, ramMib: 512, zramMib: 0, apps: 1 });
    device = await openDevice({ adbPort: String(port), serial: phone.serial });
  });

  after(async () => {
    try {
      await phone?.stop();
    } finally {
      await killAdbServer(port);
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('returns exit statuses and merged output, as the shell user and as root', async () => {
    assert.deepEqual(await device.shell('echo out; echo err >&2; exit 3'), { output: 'out\nerr\n', exitCode: 3 });
    assert.deepEqual(await device.shell("printf 'x'"), { output: 'x', exitCode: 0 });
    assert.equal((await device.shell('no-such-command')).exitCode, 127);
    assert.equal((await device.shell('kill -9 $$')).exitCode, 137);
    assert.deepEqual(await device.shell('id -u; exit 4', { root: true }), { output: '0\n', exitCode: 4 });
    assert.equal(await device.rootAvailable(), true);
    assert.deepEqual(await device.rootProbe(), { method: 'adbd' });
  });

  it('passes quoted values to the device shell unchanged', async () => {
    for (const value of NASTY) {
      assert.deepEqual(await device.shell(`printf '%s' ${shellQuote(value)}`), { output: value, exitCode: 0 }, JSON.stringify(value));
      assert.deepEqual(await device.shell(`printf '%s' ${shellQuote(value)}`, { root: true }), { output: value, exitCode: 0 }, JSON.stringify(value));
    }
  });

  it('carries megabytes of output intact', async () => {
    const run = await device.shell('head -c 3000000 /dev/zero | tr "\\000" x');
    assert.equal(run.exitCode, 0);
    assert.equal(run.output.length, 3_000_000);
    assert.match(run.output, /^x+$/);
  });

  it('gives up on a command that outlives its timeout', async () => {
    await assert.rejects(device.shell('sleep 10', { timeoutMs: 300 }), /did not finish within 0\.3 s/);
  });

  it('streams lines and their exit status', async () => {
    const lines: string[] = [];
    assert.equal(await device.shellLines('echo one; echo; printf "two\\nthree"; exit 5', (line) => lines.push(line)), 5);
    assert.deepEqual(lines, ['one', '', 'two', 'three']);
  });

  it('stops streaming on abort, and the command on the device dies', async () => {
    const tag = `lmk-abort-${randomBytes(4).toString('hex')}`;
    const controller = new AbortController();
    const lines: string[] = [];
    const result = await device.shellLines(
      `while :; do echo ${tag}; sleep 0.1; done`,
      (line) => {
        lines.push(line);
        if (lines.length === 3) controller.abort();
      },
      { signal: controller.signal },
    );
    assert.equal(result, null);
    assert.ok(lines.length >= 3 && lines.every((line) => line === tag));
    let left = '';
    for (let attempt = 0; attempt < 30; attempt++) {
      left = (await device.shell(`ps -o pid,args | grep -F ${shellQuote(`echo ${tag}`)} | grep -v grep`)).output;
      if (left === '') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(left, '', 'the aborted loop still runs');
    assert.equal(await device.shellLines('echo never', () => assert.fail('aborted before it began'), { signal: AbortSignal.abort() }), null);
  });

  it('pushes a file larger than one sync packet with progress, and pulls it back', async () => {
    const data = randomBytes(300_000);
    const local = join(scratch, 'blob');
    writeFileSync(local, data);
    const progress: number[] = [];
    await device.push(local, '/data/local/tmp/transport-test/deep/blob', 0o600, (sent) => progress.push(sent));
    assert.ok(progress.length > 1, 'several progress events');
    assert.deepEqual(progress, [...progress].sort((a, b) => a - b));
    assert.equal(progress.at(-1), data.length);
    assert.ok((await device.pull('/data/local/tmp/transport-test/deep/blob')).equals(data));
    // adbd gives group and other the owner's bits.
    assert.equal((await device.shell("stat -c '%a' /data/local/tmp/transport-test/deep/blob")).output.trim(), '666');
    await device.shell('rm -rf /data/local/tmp/transport-test');
  });

  it('names what failed in a push or pull', async () => {
    await assert.rejects(device.pull('/data/local/tmp/no-such-file'), /\/data\/local\/tmp\/no-such-file does not exist on 127\.0\.0\.1:\d+/);
    await assert.rejects(device.pull('/data/local/tmp'), /is not a file/);
    await assert.rejects(device.push(join(scratch, 'missing'), '/data/local/tmp/x', 0o644), /cannot push .*missing/);
    writeFileSync(join(scratch, 'small'), 'x');
    await assert.rejects(device.push(join(scratch, 'small'), '/proc/no-such-dir/x', 0o644), /push \/proc\/no-such-dir\/x on 127\.0\.0\.1:\d+: .*secure_mkdirs failed/);
    await assert.rejects(device.push(join(scratch, 'small'), 'relative/path', 0o644), /is not a path on the device/);
  });

  it('reads getprop', async () => {
    const props = await device.props();
    assert.equal(props.get('ro.product.model'), 'Nimbus X5');
    assert.equal(props.get('ro.product.cpu.abi'), 'x86_64');
    assert.equal(props.get('ro.build.version.sdk'), '34');
  });
});
