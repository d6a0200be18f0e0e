import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { localSite } from '../../host/commands/agent-client.js';
import { runLocalAgent } from '../../host/local-agent.js';
import { LocalDevice, localAgentSpawn } from '../../host/runtime/local-device.js';
import { LOCAL_AGENT_ENTRY, localAgentCommand, localRuntime, type LocalFacts, type LocalRuntime } from '../../host/runtime/local.js';
import { TERMUX_LIB, TERMUX_NODE, TERMUX_PREFIX } from '../../host/runtime/termux.js';
import { DoctorReportSchema } from '../../src/doctor-report.js';

const linuxFacts: LocalFacts = { platform: 'linux', arch: 'x64', env: { PATH: '/usr/bin:/bin' }, execPath: '/usr/bin/node', uid: 0 };
const termuxFacts: LocalFacts = {
  platform: 'android',
  arch: 'arm64',
  env: { PREFIX: TERMUX_PREFIX, LD_PRELOAD: `${TERMUX_PREFIX}/lib/libtermux-exec.so`, LMK_LOG_LEVEL: 'debug' },
  execPath: TERMUX_NODE,
  uid: 10234,
};

describe('--local: how this machine runs the agent', () => {
  it('on Linux: this node, /bin/sh, the root lmk runs as, /run/lmk; the command line as before', () => {
    const runtime = localRuntime(linuxFacts, '/opt/lmk/dist/device/main.js');
    assert.deepEqual(runtime, {
      kind: 'linux',
      shell: '/bin/sh',
      root: 'self',
      node: '/usr/bin/node',
      entry: '/opt/lmk/dist/device/main.js',
      env: { unset: [], set: {} },
      defaultStateDir: '/run/lmk',
    });
    assert.equal(localAgentCommand(runtime, ['client', 'status', '--state-dir', '/run/lmk']), "'/usr/bin/node' '/opt/lmk/dist/device/main.js' 'client' 'status' '--state-dir' '/run/lmk'");
    assert.equal(localRuntime({ ...linuxFacts, uid: 1000 }).root, 'self', 'not root on Linux: lmk start --local says so, no su');
  });

  it("in Termux: Termux's node through su, Android's sh, a clean environment, the phone's state dir", () => {
    const runtime = localRuntime(termuxFacts, `${TERMUX_PREFIX}/lib/node_modules/lmk/dist/device/main.js`);
    assert.deepEqual(runtime, {
      kind: 'termux',
      shell: '/system/bin/sh',
      root: 'su',
      node: TERMUX_NODE,
      entry: `${TERMUX_PREFIX}/lib/node_modules/lmk/dist/device/main.js`,
      env: { unset: ['LD_PRELOAD'], set: { LD_LIBRARY_PATH: TERMUX_LIB, LMK_LOG_LEVEL: 'debug' } },
      defaultStateDir: '/data/local/tmp/lmk/state',
    });
    assert.equal(
      localAgentCommand(runtime, ['pids']),
      `(unset LD_PRELOAD; LD_LIBRARY_PATH='${TERMUX_LIB}'; export LD_LIBRARY_PATH; LMK_LOG_LEVEL='debug'; export LMK_LOG_LEVEL; exec '${TERMUX_NODE}' '${TERMUX_PREFIX}/lib/node_modules/lmk/dist/device/main.js' 'pids')`,
    );
    assert.equal(localRuntime({ ...termuxFacts, uid: 0 }).root, 'self', 'already root (tsu): no su');
    assert.equal(localRuntime({ ...termuxFacts, platform: 'linux' }).kind, 'termux', '$PREFIX says Termux');
    assert.equal(localRuntime({ ...termuxFacts, arch: 'x64' }).env.set['LD_LIBRARY_PATH'], TERMUX_LIB);
    assert.throws(() => localRuntime({ ...termuxFacts, arch: 'arm' }), /not supported yet/, "32-bit Termux: koffi has no android-arm build");
  });

  it('uses the entry of this installation', () => {
    assert.equal(LOCAL_AGENT_ENTRY, fileURLToPath(new URL('../../device/main.js', import.meta.url)));
    assert.equal(localRuntime(linuxFacts).entry, LOCAL_AGENT_ENTRY);
  });
});

/*
 * Termux simulated on this machine: a `su` that, like some root managers, keeps the caller's
 * environment (LD_PRELOAD included) but drops LD_LIBRARY_PATH and resets PATH, and an `id` that
 * says 10234 until su made it root. The agent's line must then clean up and name what it needs.
 */
describe('--local in Termux, through a simulated su', () => {
  const work = mkdtempSync(join(tmpdir(), 'lmk-termux-local-'));
  const bin = join(work, 'bin');
  const suLog = join(work, 'su.log');
  const savedPath = process.env['PATH'];
  const savedPreload = process.env['LD_PRELOAD'];

  /** What lmk selects in Termux, with this machine's sh and a node of this machine in place of Termux's. */
  const termuxHere = (node: string): LocalRuntime => ({ ...localRuntime({ ...termuxFacts, arch: process.arch }, LOCAL_AGENT_ENTRY), shell: '/bin/sh', node });

  before(() => {
    const script = (path: string, text: string): void => {
      writeFileSync(path, text);
      chmodSync(path, 0o755);
    };
    script(join(work, 'node'), '#!/bin/sh\necho "uid=$(id -u) preload=${LD_PRELOAD-unset} libpath=${LD_LIBRARY_PATH-unset} level=${LMK_LOG_LEVEL-unset} argv=$*"\n');
    mkdirSync(bin);
    script(join(bin, 'su'), `#!/bin/sh\necho "$*" >> '${suLog}'\n[ "$1" = -c ] || exit 1\nunset LD_LIBRARY_PATH\nFAKE_ROOT=1 PATH='${bin}:/usr/bin:/bin' exec /bin/sh -c "$2"\n`);
    script(join(bin, 'id'), '#!/bin/sh\nif [ "$1" = -u ]; then if [ -n "$FAKE_ROOT" ]; then echo 0; else echo 10234; fi; else exec /usr/bin/id "$@"; fi\n');
    process.env['PATH'] = `${bin}:/usr/bin:/bin`;
    process.env['LD_PRELOAD'] = 'libc.so.6';
  });

  after(() => {
    if (savedPath === undefined) delete process.env['PATH'];
    else process.env['PATH'] = savedPath;
    if (savedPreload === undefined) delete process.env['LD_PRELOAD'];
    else process.env['LD_PRELOAD'] = savedPreload;
    rmSync(work, { recursive: true, force: true });
  });

  it('runs the agent line as root through su -c, with LD_PRELOAD gone and the Termux lib dir set', async () => {
    const runtime = termuxHere(join(work, 'node'));
    const device = new LocalDevice(runtime);
    assert.equal(await device.rootAvailable(), true);
    const run = await device.shell(localAgentCommand(runtime, ['client', 'status', '--state-dir', '/data/local/tmp/lmk/state']), { root: true });
    assert.equal(run.exitCode, 0, run.output);
    assert.equal(run.output, `uid=0 preload=unset libpath=${TERMUX_LIB} level=debug argv=${LOCAL_AGENT_ENTRY} client status --state-dir /data/local/tmp/lmk/state\n`);
    const calls = readFileSync(suLog, 'utf8').trim().split('\n');
    assert.equal(calls[0], '-c id -u', 'su probed once');
    assert.match(calls.at(-1) ?? '', /^-c \(unset LD_PRELOAD; LD_LIBRARY_PATH=/);
    const plain = await device.shell('id -u');
    assert.equal(plain.output.trim(), '10234', 'no root asked: no su');
  });

  it('runs the real agent that way (lmk doctor --local), and lmk status --local looks in the phone\'s state dir', async () => {
    const runtime = termuxHere(process.execPath);
    const spawned = await localAgentSpawn(runtime, ['doctor', '--json']);
    assert.equal(spawned.file, '/bin/sh');
    assert.match(spawned.args[1] ?? '', /^su -c '\(unset LD_PRELOAD; /);
    const run = await runLocalAgent(['doctor', '--json'], runtime);
    assert.equal(run.code, 0, run.stderr);
    const report = DoctorReportSchema.parse(JSON.parse(run.stdout));
    assert.equal(report.root, true);
    const site = localSite(undefined, runtime);
    assert.equal(site.stateDir, '/data/local/tmp/lmk/state');
    assert.equal(site.command(['pids']), localAgentCommand(runtime, ['pids']));
  });
});
