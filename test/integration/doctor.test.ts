import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { DoctorReportSchema } from '../../src/doctor-report.js';

const cli = fileURLToPath(new URL('../../host/cli.js', import.meta.url));

function lmk(args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Linux version as a comparable number: 5.15 -> 5015. */
function kernelVersion(text: string): number {
  const [major, minor] = text.split('.').map((part) => parseInt(part, 10));
  return major! * 1000 + minor!;
}

describe('lmk doctor --local', () => {
  it('reports this machine as its kernel and filesystems show it', () => {
    const run = lmk(['doctor', '--local', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const report = DoctorReportSchema.parse(JSON.parse(run.stdout));
    const mounts = readFileSync('/proc/self/mounts', 'utf8');
    assert.equal(report.kernel, release());
    assert.equal(report.abi, { x64: 'x86_64', arm64: 'arm64-v8a', arm: 'armeabi-v7a' }[process.arch as string] ?? process.arch);
    assert.equal(report.root, process.getuid?.() === 0);
    assert.equal(report.pidfd, kernelVersion(release()) >= 5003);
    assert.equal(report.processMrelease, kernelVersion(release()) >= 5015);
    assert.equal(report.memcgV1, /\scgroup\s\S*\bmemory\b/.test(mounts));
    assert.equal(report.freezerV1, /\scgroup\s\S*\bfreezer\b/.test(mounts));
    assert.equal(report.cgroup2, /\scgroup2\s/.test(mounts));
    assert.equal(report.swap, readFileSync('/proc/swaps', 'utf8').trim().split('\n').length > 1);
    assert.equal(report.cpus.length, cpus().length);
    assert.deepEqual([...report.littleCpus, ...report.bigCpus].every((id) => report.cpus.some((cpu) => cpu.id === id)), true);
    if (report.psi) assert.ok(report.psiWindowUs === 1_000_000 || report.psiWindowUs === 2_000_000);
    assert.equal(report.android, false);
  });

  it('prints a readable table without --json', () => {
    const run = lmk(['doctor', '--local']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^process_mrelease\s+(yes|no|unknown)$/m);
    assert.match(run.stdout, /^little CPUs\s+\S+/m);
  });

  it('reports unreadable /proc and /sys as unknown instead of failing', () => {
    const run = lmk(['doctor', '--local', '--json'], { LMK_PROC_ROOT: '/nonexistent/proc', LMK_SYSFS_ROOT: '/nonexistent/sys' });
    assert.equal(run.code, 0, run.stderr);
    const report = DoctorReportSchema.parse(JSON.parse(run.stdout));
    assert.equal(report.kernel, null);
    assert.equal(report.memcgV1, null);
    assert.equal(report.swap, null);
    assert.equal(report.stockLmkd, null);
    assert.equal(report.psi, false, 'no PSI file under the given root');
    assert.deepEqual(report.cpus, []);
  });
});

describe('lmk CLI', () => {
  it('explains itself with --help', () => {
    const run = lmk(['--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /doctor/);
    assert.match(lmk(['doctor', '--help']).stdout, /--local/);
  });

  it('fails with one line and a non-zero exit for an unknown command', () => {
    const run = lmk(['frobnicate']);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /unknown command/);
  });

  it('fails with one line and a non-zero exit where a device is needed but none can be reached', () => {
    const run = lmk(['doctor']);
    assert.notEqual(run.code, 0);
    assert.equal(run.stderr.trim().split('\n').length, 1);
    assert.match(run.stderr, /^lmk: /);
  });
});
