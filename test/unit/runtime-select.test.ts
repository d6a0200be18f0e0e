import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { koffiBuild } from '../../host/runtime/koffi-build.js';
import { selectRuntime, type RuntimeTarget } from '../../host/runtime/select.js';
import { describeRuntime, parseRuntime } from '../../host/runtime/spec.js';
import { TERMUX_LIB, TERMUX_NODE } from '../../host/runtime/termux.js';

const pick = (target: RuntimeTarget) => {
  const selection = selectRuntime(target);
  return {
    kind: selection.kind,
    abi: selection.abi.abi,
    nodePlatform: selection.nodePlatform,
    koffi: selection.koffi.package,
    koffiDir: selection.koffi.dir,
    libc: selection.koffi.libc,
    node: selection.node,
    shipsNode: selection.shipsNode,
    launcher: selection.launcher,
  };
};

describe('which node runs the agent, and which koffi build it loads', () => {
  it('linux x64, bundled: the shipped glibc Node with koffi linux-x64', () => {
    assert.deepEqual(pick({ platform: 'linux', arch: 'x64', runtime: 'bundled', installDir: '/opt/lmk' }), {
      kind: 'bundled',
      abi: 'x86_64',
      nodePlatform: 'linux',
      koffi: '@koromix/koffi-linux-x64',
      koffiDir: 'linux_x64',
      libc: 'glibc',
      node: '/opt/lmk/node',
      shipsNode: true,
      launcher: 'bundled',
    });
  });

  it('an arm64-v8a phone, bundled: still a glibc Node (platform linux), so koffi linux-arm64', () => {
    assert.deepEqual(pick({ platform: 'android', abi: 'arm64-v8a', runtime: 'bundled' }), {
      kind: 'bundled',
      abi: 'arm64-v8a',
      nodePlatform: 'linux',
      koffi: '@koromix/koffi-linux-arm64',
      koffiDir: 'linux_arm64',
      libc: 'glibc',
      node: '/data/local/tmp/lmk/node',
      shipsNode: true,
      launcher: 'bundled',
    });
    const selection = selectRuntime({ platform: 'android', abi: 'arm64-v8a', runtime: 'bundled' });
    assert.deepEqual(selection.env, { unset: ['LD_PRELOAD', 'LD_LIBRARY_PATH'], set: {} }, "no bionic LD_* for glibc's loader");
  });

  it("android arm64, Termux: Termux's bionic node, koffi android-arm64, nothing shipped", () => {
    assert.deepEqual(pick({ platform: 'android', arch: 'arm64', runtime: 'termux' }), {
      kind: 'termux',
      abi: 'arm64-v8a',
      nodePlatform: 'android',
      koffi: '@koromix/koffi-android-arm64',
      koffiDir: 'android_arm64',
      libc: 'bionic',
      node: TERMUX_NODE,
      shipsNode: false,
      launcher: 'device-node',
    });
    assert.equal(TERMUX_NODE, '/data/data/com.termux/files/usr/bin/node');
    const selection = selectRuntime({ platform: 'android', abi: 'arm64-v8a', runtime: 'termux' });
    assert.deepEqual(selection.env, { unset: ['LD_PRELOAD'], set: { LD_LIBRARY_PATH: TERMUX_LIB } }, 'no libtermux-exec.so under su; Termux lib dir named');
  });

  it('android x64, Termux: koffi android-x64', () => {
    const selection = pick({ platform: 'android', abi: 'x86_64', runtime: 'termux' });
    assert.equal(selection.koffi, '@koromix/koffi-android-x64');
    assert.equal(selection.koffiDir, 'android_x64');
    assert.equal(selection.nodePlatform, 'android');
    assert.equal(selection.abi, 'x86_64');
    assert.equal(selectRuntime({ platform: 'android', abi: 'x86_64', runtime: 'termux' }).koffi.elfMachine, 62);
    assert.equal(selectRuntime({ platform: 'android', abi: 'arm64-v8a', runtime: 'termux' }).koffi.elfMachine, 183);
  });

  it('refuses ABIs with no build as "not supported yet"', () => {
    for (const runtime of ['bundled', 'termux'] as const) {
      assert.throws(() => selectRuntime({ platform: 'android', abi: 'armeabi-v7a', runtime }), /^CliError: ABI armeabi-v7a is not supported yet \(supported: arm64-v8a, x86_64\)$/);
      assert.throws(() => selectRuntime({ platform: 'android', abi: 'x86', runtime }), /ABI x86 is not supported yet/);
    }
    // 32-bit Termux on any phone: its node says arm.
    assert.throws(() => selectRuntime({ platform: 'android', arch: 'arm', runtime: 'termux' }), /^CliError: CPU architecture arm is not supported yet \(supported: arm64, x64\)$/);
    assert.throws(() => selectRuntime({ platform: 'linux', arch: 'riscv64', runtime: 'bundled' }), /^CliError: CPU architecture riscv64 is not supported yet/);
    assert.throws(() => selectRuntime({ platform: 'android', abi: 'mips', runtime: 'bundled' }), /unknown ABI 'mips'/);
    assert.throws(() => selectRuntime({ platform: 'android', abi: 'arm64-v8a', arch: 'x64', runtime: 'bundled' }), /ABI arm64-v8a is not CPU architecture x64/);
    assert.throws(() => selectRuntime({ platform: 'linux', arch: 'x64', runtime: 'termux' }), /Termux runs nowhere else/);
  });

  it('a node by its path: the build of the platform it reports, else where it lies', () => {
    assert.deepEqual(pick({ platform: 'android', abi: 'arm64-v8a', runtime: { path: '/data/local/tmp/node' } }), {
      kind: 'path',
      abi: 'arm64-v8a',
      nodePlatform: 'linux',
      koffi: '@koromix/koffi-linux-arm64',
      koffiDir: 'linux_arm64',
      libc: 'glibc',
      node: '/data/local/tmp/node',
      shipsNode: false,
      launcher: 'device-node',
    });
    const reported = selectRuntime({ platform: 'android', abi: 'arm64-v8a', runtime: { path: '/system/bin/node', platform: 'android' } });
    assert.equal(reported.koffi.package, '@koromix/koffi-android-arm64');
    assert.deepEqual(reported.env, { unset: ['LD_PRELOAD'], set: {} }, 'not in Termux: no Termux lib dir');
    const inTermux = selectRuntime({ platform: 'android', abi: 'x86_64', runtime: { path: '/data/data/com.termux/files/usr/opt/node/bin/node' } });
    assert.equal(inTermux.koffi.package, '@koromix/koffi-android-x64');
    assert.deepEqual(inTermux.env.set, { LD_LIBRARY_PATH: TERMUX_LIB });
    assert.equal(selectRuntime({ platform: 'linux', arch: 'x64', runtime: { path: '/usr/bin/node' } }).koffi.package, '@koromix/koffi-linux-x64');
    assert.throws(() => selectRuntime({ platform: 'linux', arch: 'x64', runtime: { path: '/x/node', platform: 'android' } }), /runs on a phone only/);
  });

  it('parses --runtime', () => {
    assert.equal(parseRuntime(undefined), 'bundled');
    assert.equal(parseRuntime('bundled'), 'bundled');
    assert.equal(parseRuntime('termux'), 'termux');
    assert.deepEqual(parseRuntime('/data/local/tmp/node'), { path: '/data/local/tmp/node' });
    assert.equal(describeRuntime({ path: '/a/node' }), '/a/node');
    assert.throws(() => parseRuntime('node'), /must be bundled, termux or the absolute path/);
    assert.throws(() => parseRuntime("/a/no'de"), /may only contain/);
    assert.throws(() => parseRuntime('/a/../node'), /may only contain/);
  });

  it("names koffi's packages as koffi's loader requires them", () => {
    // koffi 3.3.4 src/koffi/src/static.cjs: require(`@koromix/koffi-${process.platform}-${process.arch}`)
    for (const platform of ['linux', 'android'] as const) {
      for (const arch of ['arm64', 'x64'] as const) {
        assert.equal(koffiBuild(platform, arch).package, `@koromix/koffi-${platform}-${arch}`);
        assert.equal(koffiBuild(platform, arch).dir, `${platform}_${arch}`);
      }
    }
  });
});
