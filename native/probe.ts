import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cgroupPathOf, parseProcCgroup } from '../src/procfs/cgroup.js';
import { cgroupV1MountPoint, cgroupV2MountPoint, parseMounts, type MountEntry } from '../src/procfs/mounts.js';
import { parseSwaps } from '../src/procfs/swaps.js';
import { closePsiTrigger, openPsiTrigger } from './psi-trigger.js';
import { isErrno } from './syscall-error.js';
import { closeFd, getpid, pidfdOpen, processMrelease } from './syscalls.js';

/** A probe's answer: yes, no, or unknown (null) with the reason in `note`. */
export interface ProbeResult {
  readonly ok: boolean | null;
  readonly note?: string;
}

export interface KernelSupport {
  readonly pidfd: ProbeResult;
  readonly processMrelease: ProbeResult;
  readonly psi: ProbeResult & { readonly windowUs: number | null };
  readonly cgroupPsi: ProbeResult;
  readonly memcgV1: ProbeResult;
  readonly freezerV1: ProbeResult;
  readonly cgroup2: ProbeResult;
  readonly swap: ProbeResult;
  readonly zram: ProbeResult;
}

export interface ProbeRoots {
  readonly procRoot: string;
  readonly sysfsRoot: string;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function probePidfd(): ProbeResult {
  try {
    closeFd(pidfdOpen(getpid()));
    return { ok: true };
  } catch (error) {
    if (isErrno(error, 'ENOSYS')) return { ok: false, note: 'pidfd_open: ENOSYS (kernel older than 5.3)' };
    return { ok: null, note: `pidfd_open: ${describe(error)}` };
  }
}

/**
 * process_mrelease on fd -1 has no side effect: a kernel that has the call checks the fd and
 * answers EBADF; one without it answers ENOSYS (also what qemu-user says).
 */
export function probeProcessMrelease(): ProbeResult {
  try {
    processMrelease(-1);
    return { ok: null, note: 'process_mrelease(-1) unexpectedly succeeded' };
  } catch (error) {
    if (isErrno(error, 'EBADF')) return { ok: true };
    if (isErrno(error, 'ENOSYS')) return { ok: false, note: 'process_mrelease: ENOSYS (kernel older than 5.15, or emulated)' };
    return { ok: null, note: `process_mrelease: ${describe(error)}` };
  }
}

/** Registers and drops a `some 70ms/1s` trigger, lmkd's partial-stall default. */
export function probePsiTrigger(path: string): ProbeResult & { readonly windowUs: number | null } {
  try {
    const trigger = openPsiTrigger(path, { kind: 'some', stallUs: 70_000, windowUs: 1_000_000 });
    closePsiTrigger(trigger);
    return { ok: true, windowUs: trigger.actual.windowUs, ...(trigger.scaledBecause ? { note: `${path}: ${trigger.scaledBecause}` } : {}) };
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    if (code === 'ENOENT') return { ok: false, windowUs: null, note: `${path} is missing (no PSI, or psi=0)` };
    if (code === 'EOPNOTSUPP' || code === 'EINVAL') return { ok: false, windowUs: null, note: `${path}: triggers refused (${code})` };
    return { ok: null, windowUs: null, note: `${path}: ${describe(error)}` };
  }
}

function readMounts(procRoot: string): MountEntry[] | undefined {
  try {
    return parseMounts(readFileSync(`${procRoot}/self/mounts`, 'utf8'));
  } catch {
    return undefined;
  }
}

function probeCgroupPsi(procRoot: string, mounts: readonly MountEntry[] | undefined): ProbeResult {
  const mountPoint = mounts && cgroupV2MountPoint(mounts);
  if (!mounts) return { ok: null, note: `${procRoot}/self/mounts is unreadable` };
  if (!mountPoint) return { ok: false, note: 'no cgroup2 mount' };
  let own: string | undefined;
  try {
    own = cgroupPathOf(parseProcCgroup(readFileSync(`${procRoot}/self/cgroup`, 'utf8')));
  } catch (error) {
    return { ok: null, note: `${procRoot}/self/cgroup: ${describe(error)}` };
  }
  // The root group's memory.pressure is the system file; our own group's shows per-group PSI.
  const group = own && own !== '/' ? `${mountPoint}${own}` : mountPoint;
  const { ok, note } = probePsiTrigger(`${group}/memory.pressure`);
  return note === undefined ? { ok } : { ok, note };
}

function probeSwap(procRoot: string): ProbeResult {
  try {
    const areas = parseSwaps(readFileSync(`${procRoot}/swaps`, 'utf8'));
    return { ok: areas.length > 0 };
  } catch (error) {
    return { ok: null, note: `${procRoot}/swaps: ${describe(error)}` };
  }
}

function probeZram(sysfsRoot: string): ProbeResult {
  if (existsSync(`${sysfsRoot}/class/zram-control`)) return { ok: true };
  try {
    return { ok: readdirSync(`${sysfsRoot}/block`).some((name) => name.startsWith('zram')) };
  } catch (error) {
    return { ok: null, note: `${sysfsRoot}/block: ${describe(error)}` };
  }
}

function mountProbe(mounts: readonly MountEntry[] | undefined, found: (m: readonly MountEntry[]) => string | undefined, what: string): ProbeResult {
  if (!mounts) return { ok: null, note: `mounts unreadable: ${what} unknown` };
  return { ok: found(mounts) !== undefined };
}

/** Everything the agent may use, probed without side effects on any process. */
export function probeKernel(roots: ProbeRoots): KernelSupport {
  const mounts = readMounts(roots.procRoot);
  return {
    pidfd: probePidfd(),
    processMrelease: probeProcessMrelease(),
    psi: probePsiTrigger(`${roots.procRoot}/pressure/memory`),
    cgroupPsi: probeCgroupPsi(roots.procRoot, mounts),
    memcgV1: mountProbe(mounts, (m) => cgroupV1MountPoint(m, 'memory'), 'memcg v1'),
    freezerV1: mountProbe(mounts, (m) => cgroupV1MountPoint(m, 'freezer'), 'freezer v1'),
    cgroup2: mountProbe(mounts, cgroupV2MountPoint, 'cgroup2'),
    swap: probeSwap(roots.procRoot),
    zram: probeZram(roots.sysfsRoot),
  };
}
