/**
 * SIGKILL → 90 % of a victim's memory freed, measured by its memory cgroup's usage: plain kill
 * against kill + process_mrelease, each through lmk's native/ layer (koffi, in this Node) and
 * through native/reference/reap-ref.c (the raw syscalls in C), interleaved run by run.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { ProcessHandle } from '../../native/process-handle.js';
import { SyscallError } from '../../native/syscall-error.js';
import { TestCgroup } from '../support/cgroups.js';
import { TestChild, waitFor } from '../support/children.js';
import { buildC } from '../support/native-build.js';
import { formatMs, formatRatio, median, table } from './stats.js';

const MiB = 1024 * 1024;
/** How long to wait for a victim that cannot free itself (frozen) before calling it "never". */
const GIVE_UP_MS = 2_000;

type Method = 'kill' | 'mrelease';
type Path = 'lmk' | 'C';

interface Sample {
  readonly freedMs: number | null;
  readonly mreleaseMs: number | null;
  readonly mreleaseErrno: string | null;
}

function readUsage(fd: number, buf: Buffer): number {
  const n = readSync(fd, buf, 0, buf.length, 0);
  return Number(buf.toString('latin1', 0, n));
}

function reapThroughLmk(pid: number, method: Method, usageFile: string, threshold: number): Sample {
  const fd = openSync(usageFile, 'r');
  const buf = Buffer.alloc(64);
  const handle = ProcessHandle.open(pid);
  try {
    const start = performance.now();
    handle.kill();
    let mreleaseMs: number | null = null;
    let mreleaseErrno: string | null = null;
    if (method === 'mrelease') {
      const t = performance.now();
      try {
        handle.mrelease();
      } catch (error) {
        if (!(error instanceof SyscallError)) throw error;
        mreleaseErrno = error.code;
      }
      mreleaseMs = performance.now() - t;
    }
    for (;;) {
      const t = performance.now();
      if (readUsage(fd, buf) < threshold) return { freedMs: t - start, mreleaseMs, mreleaseErrno };
      if (t - start > GIVE_UP_MS) return { freedMs: null, mreleaseMs, mreleaseErrno };
    }
  } finally {
    handle.close();
    closeSync(fd);
  }
}

function reapThroughC(binary: string, pid: number, method: Method, usageFile: string, threshold: number): Sample {
  const out = execFileSync(binary, ['-u', usageFile, '-t', String(threshold), '-w', String(GIVE_UP_MS), String(pid), method], { encoding: 'utf8' });
  const parsed = JSON.parse(out) as { freedMs: number; mreleaseMs: number; mreleaseErrno: number };
  return {
    freedMs: parsed.freedMs < 0 ? null : parsed.freedMs,
    mreleaseMs: parsed.mreleaseMs < 0 ? null : parsed.mreleaseMs,
    mreleaseErrno: parsed.mreleaseErrno === 0 ? null : new SyscallError('process_mrelease', parsed.mreleaseErrno).code,
  };
}

interface Scenario {
  readonly mib: number;
  readonly frozen: boolean;
}

async function oneRun(scenario: Scenario, method: Method, path: Path, groups: { memory: TestCgroup; freezer: TestCgroup }, binary: string): Promise<Sample> {
  const usageFile = `${groups.memory.dir}/memory.usage_in_bytes`;
  const victim = await TestChild.hog(scenario.mib, 'pause', [groups.memory, groups.freezer]);
  try {
    if (scenario.frozen) {
      groups.freezer.write('freezer.state', 'FROZEN');
      if (!(await waitFor(() => groups.freezer.read('freezer.state').trim() === 'FROZEN', 5_000))) throw new Error('victim did not freeze');
    }
    const threshold = scenario.mib * MiB * 0.1;
    return path === 'lmk' ? reapThroughLmk(victim.pid, method, usageFile, threshold) : reapThroughC(binary, victim.pid, method, usageFile, threshold);
  } finally {
    groups.freezer.write('freezer.state', 'THAWED');
    await victim.kill();
    await waitFor(() => groups.memory.readNumber('memory.usage_in_bytes') < 16 * MiB, 5_000);
  }
}

export async function reapBench(runs: number, log: (line: string) => void): Promise<string> {
  const binary = buildC('native/reference/reap-ref.c');
  const memory = TestCgroup.create('memory', 'bench-reap');
  const freezer = TestCgroup.create('freezer', 'bench-reap');
  try {
    memory.write('memory.limit_in_bytes', 3 * 1024 * MiB);
    const scenarios: Scenario[] = [
      { mib: 1024, frozen: false },
      { mib: 2048, frozen: false },
      { mib: 1024, frozen: true },
      { mib: 2048, frozen: true },
    ];
    const keys = (['lmk', 'C'] as const).flatMap((path) => (['kill', 'mrelease'] as const).map((method) => ({ path, method })));
    const rows: string[][] = [];
    for (const scenario of scenarios) {
      const samples = new Map<string, Sample[]>(keys.map(({ path, method }) => [`${path}/${method}`, []]));
      for (let run = 0; run < runs; run++) {
        for (const { path, method } of keys) {
          samples.get(`${path}/${method}`)!.push(await oneRun(scenario, method, path, { memory, freezer }, binary));
        }
      }
      const med = (key: string): number | null => median(samples.get(key)!.map((s) => s.freedMs));
      const esrch = samples.get('lmk/mrelease')!.concat(samples.get('C/mrelease')!).filter((s) => s.mreleaseErrno === 'ESRCH').length;
      const name = `${scenario.mib / 1024} GiB ${scenario.frozen ? 'frozen' : 'idle'}`;
      rows.push([
        name,
        formatMs(med('lmk/kill'), GIVE_UP_MS),
        formatMs(med('lmk/mrelease'), GIVE_UP_MS),
        formatRatio(med('lmk/kill'), med('lmk/mrelease')),
        formatMs(med('C/kill'), GIVE_UP_MS),
        formatMs(med('C/mrelease'), GIVE_UP_MS),
        formatRatio(med('C/kill'), med('C/mrelease')),
        formatRatio(med('lmk/mrelease'), med('C/mrelease')),
        `${esrch}/${2 * runs}`,
      ]);
      log(`  ${name}: done`);
    }
    return [
      `SIGKILL → 90 % freed (memcg usage), median of ${runs} runs, ms; frozen = cgroup-v1 freezer; ">${GIVE_UP_MS}" = not freed while we waited`,
      table(['victim', 'lmk kill', 'lmk mrelease', 'kill/mrel', 'C kill', 'C mrelease', 'kill/mrel', 'lmk/C mrel', 'ESRCH'], rows),
      'kill/mrel: how many times faster process_mrelease frees than a plain kill; lmk/C mrel: lmk through koffi against the C reference (×1.00 = same).',
      'ESRCH: process_mrelease calls that found the victim already freeing itself (counted as success).',
    ].join('\n');
  } finally {
    await freezer.remove();
    await memory.remove();
  }
}
