import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { copyFile, chmod, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildBundle } from '../../host/bundle/build.js';
import { BundleManifestSchema } from '../../host/bundle/manifest.js';
import type { Device, ShellOptions, ShellResult } from '../../host/device/device.js';
import { deployToDevice, type DeploySummary } from '../../host/device/deploy/deploy.js';
import { deployPayload } from '../../host/device/deploy/payload.js';
import { LocalDevice } from '../../host/runtime/local-device.js';
import { localRuntime } from '../../host/runtime/local.js';
import { TERMUX_LIB, TERMUX_NODE } from '../../host/runtime/termux.js';

/*
 * lmk deploy --runtime termux without a phone with Termux (the project has none, and the simulated
 * phone has no Termux): the bundle and payload it builds, koffi's own loader choosing the android
 * build from that payload (process.platform spoofed: a bionic binary cannot load on this glibc
 * machine), and a whole deploy to a folder of this machine standing in for a phone whose Termux node
 * answers "android <arch>". The first run fetches koffi's android packages with npm pack (about
 * 0.6 MB each) into the project's cache.
 */

const progress = (): void => undefined;

/**
 * This machine as a phone with Termux: its ABI, root, and node binaries that only answer the
 * question lmk deploy asks them (`platform arch`); every other command runs here.
 */
class TermuxPhone implements Device {
  readonly serial = 'termux-phone';
  private readonly here = new LocalDevice(localRuntime({ platform: 'linux', arch: process.arch, env: {}, execPath: process.execPath, uid: 0 }));
  readonly commands: string[] = [];

  constructor(
    private readonly abi: string,
    private readonly nodes: Readonly<Record<string, string>>,
  ) {}

  shell(command: string, options?: ShellOptions): Promise<ShellResult> {
    this.commands.push(command);
    for (const [node, says] of Object.entries(this.nodes)) {
      if (command === `test -x '${node}'`) return Promise.resolve({ output: '', exitCode: 0 });
      if (command.includes(`exec '${node}' -e `)) return Promise.resolve({ output: `WARNING: linker: a warning first\n${says}\n`, exitCode: 0 });
    }
    return this.here.shell(command, options);
  }

  shellLines(command: string, onLine: (line: string) => void, options?: ShellOptions & { readonly signal?: AbortSignal }): Promise<number | null> {
    return this.here.shellLines(command, onLine, options);
  }

  async push(localPath: string, remotePath: string, mode: number): Promise<void> {
    await mkdir(dirname(remotePath), { recursive: true });
    await copyFile(localPath, remotePath);
    await chmod(remotePath, mode);
  }

  pull(remotePath: string): Promise<Buffer> {
    return this.here.pull(remotePath);
  }

  props(): Promise<ReadonlyMap<string, string>> {
    return Promise.resolve(new Map([['ro.product.cpu.abi', this.abi]]));
  }

  rootAvailable(): Promise<boolean> {
    return Promise.resolve(true);
  }
}

/** What koffi's loader requires when it loads from `dir`'s node_modules under a spoofed platform. */
function koffiRequests(dir: string, spoof: { platform?: string; arch?: string }): { requests: { request: string; resolved: string | null }[]; result: string } {
  const preload = join(dir, 'spoof.cjs');
  writeFileSync(
    preload,
    `const Module = require('node:module');
${spoof.platform ? `Object.defineProperty(process, 'platform', { value: ${JSON.stringify(spoof.platform)} });` : ''}
${spoof.arch ? `Object.defineProperty(process, 'arch', { value: ${JSON.stringify(spoof.arch)} });` : ''}
const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (/@koromix|koffi\\.node$/.test(request)) {
    let resolved = null;
    try { resolved = Module._resolveFilename(request, parent, isMain); } catch {}
    process.stdout.write('REQ ' + JSON.stringify({ request, resolved }) + '\\n');
  }
  return load.apply(this, arguments);
};
`,
  );
  const probe = join(dir, 'agent', 'koffi-probe.js');
  writeFileSync(probe, "import('koffi').then(() => console.log('RESULT loaded'), (error) => console.log('RESULT ' + String(error.message).split('\\n')[0]));\n");
  try {
    const ran = spawnSync(process.execPath, ['--require', preload, probe], { encoding: 'utf8', cwd: dir, timeout: 60_000 });
    const lines = ran.stdout.split('\n');
    return {
      requests: lines.filter((line) => line.startsWith('REQ ')).map((line) => JSON.parse(line.slice(4)) as { request: string; resolved: string | null }),
      result: lines.find((line) => line.startsWith('RESULT '))?.slice(7) ?? `no result: ${ran.stderr}`,
    };
  } finally {
    rmSync(preload, { force: true });
    rmSync(probe, { force: true });
  }
}

describe('lmk deploy --runtime termux', { timeout: 600_000 }, () => {
  let tmp = '';
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'lmk-termux-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  for (const [abi, arch, elfArch] of [
    ['arm64-v8a', 'arm64', 'aarch64'],
    ['x86_64', 'x64', 'x86-64'],
  ] as const) {
    it(`${abi}: the payload holds the agent and koffi's android build, and no node or glibc`, async () => {
      const outDir = join(tmp, `bundle-${abi}`);
      const built = await buildBundle({ abi, runtime: 'termux', outDir, progress });
      const payload = deployPayload(built.outDir, built.manifest);
      const paths = payload.files.map((file) => file.path);
      const binary = `node_modules/@koromix/koffi-android-${arch}/android_${arch}/koffi.node`;
      for (const path of ['lmk-agent', 'agent/main.js', 'package.json', 'node_modules/koffi/package.json', 'node_modules/koffi/src/koffi/src/static.cjs', binary]) {
        assert.ok(paths.includes(path), `${path} is in the payload`);
      }
      assert.deepEqual(
        paths.filter((path) => path === 'node' || path.startsWith('lib/') || path.includes('koffi-linux') || /libc\.so|ld-linux/.test(path)),
        [],
        'no node, no glibc, no linux koffi',
      );
      assert.deepEqual(paths.filter((path) => path.startsWith('node_modules/@koromix/')).sort(), [`node_modules/@koromix/koffi-android-${arch}/index.js`, `node_modules/@koromix/koffi-android-${arch}/package.json`, binary].sort());
      assert.equal(payload.files.find((file) => file.path === 'lmk-agent')?.executable, true);
      assert.ok(payload.files.every((file) => existsSync(file.localPath)));

      const elf = spawnSync('file', ['-b', join(outDir, binary)], { encoding: 'utf8' });
      if (elf.status === 0) assert.match(elf.stdout, new RegExp(`ELF 64-bit LSB shared object, ${elfArch === 'aarch64' ? 'ARM aarch64' : 'x86-64'}`));
      const needed = spawnSync('patchelf', ['--print-needed', join(outDir, binary)], { encoding: 'utf8' });
      if (needed.status === 0) assert.deepEqual(needed.stdout.trim().split('\n').sort(), ['libc.so', 'libdl.so', 'libm.so'], "bionic's unversioned sonames");

      const manifest = BundleManifestSchema.parse(JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8')));
      assert.deepEqual(manifest, payload.manifest);
      assert.equal(manifest.nodeVersion, 'device node (termux)');
      assert.equal(manifest.sources.glibc, 'none (device node)');
      assert.match(manifest.sources.koffi, new RegExp(`^\\d+\\.\\d+\\.\\d+ @koromix/koffi-android-${arch}/android_${arch}$`));
      const launcher = readFileSync(join(outDir, 'lmk-agent'), 'utf8');
      assert.ok(launcher.includes(`node='${TERMUX_NODE}'`) && launcher.includes(`LD_LIBRARY_PATH='${TERMUX_LIB}'`) && /^unset LD_PRELOAD$/m.test(launcher));
      assert.equal(spawnSync('/bin/sh', ['-n', join(outDir, 'lmk-agent')]).status, 0);
    });

    it(`${abi}: koffi's loader, as Termux's node (platform android, arch ${arch}), requires the shipped android build`, () => {
      const dir = join(tmp, `bundle-${abi}`);
      const spoofed = koffiRequests(dir, { platform: 'android', arch });
      const pkg = `@koromix/koffi-android-${arch}`;
      const first = spoofed.requests[0];
      assert.equal(first?.request, pkg, JSON.stringify(spoofed));
      assert.equal(first?.resolved, join(dir, 'node_modules', pkg, 'index.js'));
      assert.ok(spoofed.requests.some((entry) => entry.resolved === join(dir, 'node_modules', pkg, `android_${arch}`, 'koffi.node')), JSON.stringify(spoofed.requests));
      assert.ok(spoofed.requests.every((entry) => !entry.request.includes('linux')));
      // It is found and dlopen()ed; a bionic binary cannot load on this glibc machine, so it fails there.
      assert.notEqual(spoofed.result, 'loaded');

      // As a glibc node (the bundled runtime), the same payload has nothing koffi could load.
      const asLinux = koffiRequests(dir, { arch });
      assert.ok(asLinux.requests.every((entry) => entry.resolved === null || !entry.resolved.includes('android')), JSON.stringify(asLinux.requests));
      assert.notEqual(asLinux.result, 'loaded');
    });
  }

  it('deploys to a phone with Termux: pushes only that payload, and again nothing when nothing changed', async () => {
    const installDir = join(tmp, 'phone', 'data', 'local', 'tmp', 'lmk');
    mkdirSync(installDir, { recursive: true });
    const phone = new TermuxPhone('x86_64', { [TERMUX_NODE]: 'android x64' });
    const options = { installDir, stateDir: `${installDir}/state`, runtime: 'termux', progress };
    const first: DeploySummary = await deployToDevice(phone, options);
    assert.equal(first.runtime, 'termux');
    assert.equal(first.koffi, '@koromix/koffi-android-x64');
    assert.equal(first.pushed.at(-1), 'manifest.json');
    assert.ok(first.pushed.includes('node_modules/@koromix/koffi-android-x64/android_x64/koffi.node'));
    assert.ok(!existsSync(join(installDir, 'node')) && !existsSync(join(installDir, 'lib')));
    const launcher = readFileSync(join(installDir, 'lmk-agent'), 'utf8');
    assert.ok(launcher.includes(`d='${installDir}'`) && launcher.includes(`node='${TERMUX_NODE}'`));
    assert.ok(phone.commands.some((command) => command.startsWith("unset LD_PRELOAD; LD_LIBRARY_PATH='") && command.includes(`exec '${TERMUX_NODE}' -e `)), 'the node was asked in the agent\'s environment');

    const again = await deployToDevice(phone, options);
    assert.deepEqual(again.pushed, []);
    assert.deepEqual(again.deleted, []);
  });

  it("refuses a 32-bit Termux on a 64-bit phone, and takes a path node's word for its platform", async () => {
    const installDir = join(tmp, 'phone2', 'lmk');
    mkdirSync(installDir, { recursive: true });
    await assert.rejects(
      deployToDevice(new TermuxPhone('x86_64', { [TERMUX_NODE]: 'android arm' }), { installDir, stateDir: `${installDir}/state`, runtime: 'termux', progress }),
      /^CliError: termux on termux-phone is a android-arm node: CPU architecture arm is not supported yet/,
    );
    const linuxTermux = new TermuxPhone('x86_64', { [TERMUX_NODE]: 'linux x64' });
    await assert.rejects(deployToDevice(linuxTermux, { installDir, stateDir: `${installDir}/state`, runtime: 'termux', progress }), /says it is a linux node, not Termux's/);

    const bionic = '/system/bin/node-bionic';
    const path = await deployToDevice(new TermuxPhone('x86_64', { [bionic]: 'android x64' }), { installDir, stateDir: `${installDir}/state`, runtime: bionic, progress });
    assert.equal(path.runtime, bionic);
    assert.equal(path.koffi, '@koromix/koffi-android-x64');
    const launcher = readFileSync(join(installDir, 'lmk-agent'), 'utf8');
    assert.ok(launcher.includes(`node='${bionic}'`) && /^unset LD_PRELOAD$/m.test(launcher) && !launcher.includes('LD_LIBRARY_PATH'), launcher);
  });
});
