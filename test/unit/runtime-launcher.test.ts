import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { agentLauncher, deviceNodeLauncher } from '../../host/runtime/launcher.js';
import { selectRuntime, type RuntimeSelection } from '../../host/runtime/select.js';
import { TERMUX_LIB, TERMUX_NODE } from '../../host/runtime/termux.js';

/*
 * The `lmk-agent` launcher for Termux's node, as lmk deploy --runtime termux writes it. Android's
 * /system/bin/sh is mksh; dash is the strictest POSIX sh here, busybox sh the other small one.
 */
const SHELLS = ['/bin/sh', '/usr/bin/dash', '/usr/bin/mksh', '/usr/bin/busybox'].filter((shell) => existsSync(shell));
const shArgs = (shell: string, ...args: string[]): string[] => (shell.endsWith('busybox') ? ['sh', ...args] : args);

const termux = selectRuntime({ platform: 'android', abi: 'arm64-v8a', runtime: 'termux' });
const installDir = '/data/local/tmp/lmk';

describe("the launcher for Termux's node", () => {
  const work = mkdtempSync(join(tmpdir(), 'lmk-launcher-'));
  after(() => rmSync(work, { recursive: true, force: true }));

  it('is valid POSIX sh for every shell here (sh -n)', () => {
    const path = join(work, 'lmk-agent');
    writeFileSync(path, deviceNodeLauncher(termux, installDir, '1.2.3'));
    assert.ok(SHELLS.length > 0);
    for (const shell of SHELLS) {
      const checked = spawnSync(shell, shArgs(shell, '-n', path), { encoding: 'utf8' });
      assert.equal(checked.status, 0, `${shell} -n: ${checked.stderr}`);
    }
  });

  it("runs Termux's node on the agent with LD_PRELOAD gone and Termux's lib dir named", () => {
    const text = deviceNodeLauncher(termux, installDir, '1.2.3');
    assert.match(text, /^#!\/system\/bin\/sh\n/);
    assert.ok(text.includes(`node='${TERMUX_NODE}'`));
    assert.ok(text.includes(`d='${installDir}'`));
    assert.match(text, /^unset LD_PRELOAD$/m);
    assert.ok(text.includes(`LD_LIBRARY_PATH='${TERMUX_LIB}'\nexport LD_LIBRARY_PATH\n`));
    assert.match(text, /^exec "\$node" "\$d\/agent\/main\.js" "\$@"\n$/m);
    assert.match(text, /android_arm64 build/);
    assert.match(text, /pkg install nodejs-lts/);
    assert.equal(agentLauncher(termux, installDir, '1.2.3'), text);
  });

  it('does what it says in each shell: clean environment, arguments passed on, 127 without node', () => {
    // The same script with the node and install dir of this test: a fake node that reports.
    const fakeNode = join(work, 'node');
    writeFileSync(fakeNode, '#!/bin/sh\necho "preload=${LD_PRELOAD-unset} libpath=${LD_LIBRARY_PATH-unset} argv=$*"\n');
    chmodSync(fakeNode, 0o755);
    const selection: RuntimeSelection = { ...termux, node: fakeNode };
    const script = join(work, 'lmk-agent-here');
    writeFileSync(script, deviceNodeLauncher(selection, work, '1.2.3'));
    const env = { PATH: '/usr/bin:/bin', LD_PRELOAD: 'libc.so.6', LD_LIBRARY_PATH: '/somewhere/else' };
    for (const shell of SHELLS) {
      const ran = spawnSync(shell, shArgs(shell, script, 'client', 'status', '--state-dir', '/a b'), { encoding: 'utf8', env });
      assert.equal(ran.status, 0, `${shell}: ${ran.stderr}`);
      assert.equal(ran.stdout, `preload=unset libpath=${TERMUX_LIB} argv=${work}/agent/main.js client status --state-dir /a b\n`, shell);
    }
    const missing: RuntimeSelection = { ...termux, node: join(work, 'no-node') };
    writeFileSync(script, deviceNodeLauncher(missing, work, '1.2.3'));
    const ran = spawnSync('/bin/sh', [script, 'doctor'], { encoding: 'utf8', env });
    assert.equal(ran.status, 127);
    assert.match(ran.stderr, /^lmk-agent: no node at .*no-node \(install it in Termux: pkg install nodejs-lts/);
  });

  it('the bundled runtime keeps the bundle\'s own launcher', () => {
    const bundled = selectRuntime({ platform: 'android', abi: 'x86_64', runtime: 'bundled' });
    const text = agentLauncher(bundled, installDir, '1.2.3');
    assert.match(text, /unset LD_PRELOAD LD_LIBRARY_PATH\nexec "\$d\/node" "\$d\/agent\/main\.js" "\$@"\n$/);
    assert.match(text, /lib\/ld-linux-x86-64\.so\.2/);
  });
});
