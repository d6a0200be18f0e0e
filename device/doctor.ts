import { readdirSync, readFileSync } from 'node:fs';
import { androidAbi, type DoctorReport } from '../src/doctor-report.js';
import { probeKernel } from '../native/probe.js';
import { readCpuTopology } from '../native/topology.js';
import type { SystemRoots } from './roots.js';
import { onAndroid } from './platform.js';

function readTrimmed(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

/** Is AOSP's lmkd running? Looks for a process whose comm is "lmkd". */
function stockLmkdRunning(procRoot: string): boolean | null {
  let pids: string[];
  try {
    pids = readdirSync(procRoot).filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  return pids.some((pid) => readTrimmed(`${procRoot}/${pid}/comm`) === 'lmkd');
}

/** The doctor report of this machine; nothing unreadable makes it fail, it becomes null. */
export function buildDoctorReport(roots: SystemRoots, systemRoot = '/'): DoctorReport {
  const support = probeKernel(roots);
  const topology = readCpuTopology(roots.sysfsRoot);
  const notes = Object.entries(support).flatMap(([name, result]) => (result.note ? [`${name}: ${result.note}`] : []));
  return {
    kernel: readTrimmed(`${roots.procRoot}/sys/kernel/osrelease`),
    abi: androidAbi(process.arch),
    root: process.getuid?.() === 0,
    pidfd: support.pidfd.ok,
    processMrelease: support.processMrelease.ok,
    psi: support.psi.ok,
    psiWindowUs: support.psi.windowUs,
    cgroupPsi: support.cgroupPsi.ok,
    memcgV1: support.memcgV1.ok,
    freezerV1: support.freezerV1.ok,
    cgroup2: support.cgroup2.ok,
    swap: support.swap.ok,
    zram: support.zram.ok,
    cpus: topology.cpus.map(({ id, capacity, maxFreqKhz, cluster }) => ({ id, capacity, maxFreqKhz, cluster })),
    littleCpus: [...topology.littleCpus],
    bigCpus: [...topology.bigCpus],
    heterogeneous: topology.heterogeneous,
    android: onAndroid(systemRoot),
    stockLmkd: stockLmkdRunning(roots.procRoot),
    notes,
  };
}
