import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import type { LmkConfig } from '../src/config.js';
import type { MemorySample } from '../src/memory-sample.js';
import { parseMeminfo } from '../src/procfs/meminfo.js';
import { parseVmstat } from '../src/procfs/vmstat.js';
import { parseZoneinfo, watermarks } from '../src/procfs/zoneinfo.js';
import { parsePsi, type Psi } from '../src/psi.js';
import { parseKeyValueCounters } from '../src/procfs/key-value.js';
import type { SystemRoots } from './roots.js';

/** Reads one snapshot of the memory the agent protects. */
export interface Sampler {
  /** The PSI file whose triggers wake the agent. */
  readonly pressurePath: string;
  readonly describe: string;
  sample(atMs: number): MemorySample;
  /** PSI averages now (status, pressure events). */
  psi(): Psi;
}

const WATERMARK_REFRESH_MS = 60_000;

/** The kernel's page size in kB, from the first mapping's KernelPageSize in smaps. */
export function readPageSizeKb(procRoot: string): number {
  const fd = openSync(`${procRoot}/self/smaps`, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const text = buf.toString('utf8', 0, readSync(fd, buf, 0, buf.length, 0));
    const match = /^KernelPageSize:\s+(\d+) kB$/m.exec(text);
    return match ? Number(match[1]) : 4;
  } finally {
    closeSync(fd);
  }
}

function read(path: string): string {
  return readFileSync(path, 'utf8');
}

/** The whole machine, as on a phone: meminfo, vmstat, zoneinfo watermarks, /proc/pressure. */
export function systemSampler(roots: SystemRoots): Sampler {
  const pageKb = readPageSizeKb(roots.procRoot);
  let marks: MemorySample['watermarks'] | undefined;
  let marksAtMs = Number.NEGATIVE_INFINITY;
  const pressurePath = `${roots.procRoot}/pressure/memory`;
  const psi = (): Psi => parsePsi(read(pressurePath), pressurePath);
  return {
    pressurePath,
    describe: 'system (/proc/meminfo, /proc/zoneinfo, /proc/pressure/memory)',
    psi,
    sample(atMs) {
      if (!marks || atMs - marksAtMs > WATERMARK_REFRESH_MS) {
        const pages = watermarks(parseZoneinfo(read(`${roots.procRoot}/zoneinfo`)).zones);
        marks = { minKb: pages.minPages * pageKb, lowKb: pages.lowPages * pageKb, highKb: pages.highPages * pageKb };
        marksAtMs = atMs;
      }
      const mem = parseMeminfo(read(`${roots.procRoot}/meminfo`));
      const vm = parseVmstat(read(`${roots.procRoot}/vmstat`));
      const now = psi();
      return {
        atMs,
        pageKb,
        freeKb: mem.memFreeKb,
        cmaFreeKb: mem.cmaFreeKb ?? 0,
        fileLruKb: (mem.activeFileKb ?? 0) + (mem.inactiveFileKb ?? 0),
        inactiveFileKb: mem.inactiveFileKb ?? 0,
        anonKb: (mem.activeAnonKb ?? 0) + (mem.inactiveAnonKb ?? 0),
        shmemKb: mem.shmemKb ?? 0,
        swapTotalKb: mem.swapTotalKb ?? 0,
        swapFreeKb: mem.swapFreeKb ?? 0,
        watermarks: marks,
        vmstat: { workingsetRefault: vm.workingsetRefaultFile, pgscanDirect: vm.pgscanDirect, pgscanKswapd: vm.pgscanKswapd, pgrefill: vm.pgrefill ?? 0 },
        psi: { someAvg10: now.some.avg10, fullAvg10: now.full?.avg10 ?? 0 },
      };
    },
  };
}

type CgroupScope = Extract<LmkConfig['scope'], { kind: 'cgroup' }>;

const UNLIMITED = 2 ** 62;

/**
 * One memory cgroup, as a Linux slice or the simulated phone: its limit and usage stand in for
 * RAM. A memcg has no kswapd keeping free pages above the watermarks (it reclaims only at its
 * limit, where limit − usage is always about 0), so what reclaim can take at once counts as
 * free: inactive file pages, and inactive anon pages while swap has room. Its limit-hit count
 * stands in for direct reclaim,
 * and its cgroup2 memory.pressure wakes the agent. Watermarks are fractions of the limit.
 */
export function cgroupSampler(scope: CgroupScope, roots: SystemRoots): Sampler {
  const pageKb = readPageSizeKb(roots.procRoot);
  const pressurePath = `${scope.cgroup2}/memory.pressure`;
  const psi = (): Psi => parsePsi(read(pressurePath), pressurePath);
  const v1 = scope.memcg;
  const v2 = scope.cgroup2;
  const bytes = (path: string): number => {
    const text = read(path).trim();
    return text === 'max' ? UNLIMITED : Number(text);
  };
  return {
    pressurePath,
    describe: v1 ? `cgroup (memcg v1 ${v1}, PSI ${pressurePath})` : `cgroup (cgroup2 ${v2})`,
    psi,
    sample(atMs) {
      const systemSwap = parseMeminfo(read(`${roots.procRoot}/meminfo`));
      let limit: number;
      let usage: number;
      let swapAllowance: number;
      let swapUsed: number;
      let stat: ReadonlyMap<string, number>;
      let limitHits: number;
      if (v1) {
        stat = parseKeyValueCounters(read(`${v1}/memory.stat`), `${v1}/memory.stat`);
        limit = bytes(`${v1}/memory.limit_in_bytes`);
        usage = bytes(`${v1}/memory.usage_in_bytes`);
        swapAllowance = Math.max(0, bytes(`${v1}/memory.memsw.limit_in_bytes`) - limit);
        swapUsed = stat.get('total_swap') ?? 0;
        limitHits = bytes(`${v1}/memory.failcnt`);
      } else {
        const raw = parseKeyValueCounters(read(`${v2}/memory.stat`), `${v2}/memory.stat`);
        stat = new Map([...raw].map(([key, value]) => [`total_${key}`, value]));
        limit = bytes(`${v2}/memory.max`);
        usage = bytes(`${v2}/memory.current`);
        swapAllowance = bytes(`${v2}/memory.swap.max`);
        swapUsed = bytes(`${v2}/memory.swap.current`);
        limitHits = raw.get('pgscan_direct') ?? 0;
      }
      const kb = (key: string): number => (stat.get(`total_${key}`) ?? 0) / 1024;
      const limitKb = limit / 1024;
      const swapTotalKb = Math.min(systemSwap.swapTotalKb ?? 0, swapAllowance / 1024);
      const pct = (percent: number): number => (limitKb * percent) / 100;
      // Inactive anon pages are what reclaim swaps out next, while the swap has room for them.
      const swapRoomKb = Math.max(0, Math.min(swapTotalKb - swapUsed / 1024, systemSwap.swapFreeKb ?? 0));
      const now = psi();
      return {
        atMs,
        pageKb,
        freeKb: Math.max(0, limitKb - usage / 1024) + kb('inactive_file') + Math.min(kb('inactive_anon'), swapRoomKb),
        cmaFreeKb: 0,
        fileLruKb: kb('active_file') + kb('inactive_file'),
        inactiveFileKb: kb('inactive_file'),
        anonKb: kb('active_anon') + kb('inactive_anon'),
        shmemKb: kb('shmem'),
        swapTotalKb,
        swapFreeKb: swapRoomKb,
        watermarks: { minKb: pct(scope.watermarks.minPercent), lowKb: pct(scope.watermarks.lowPercent), highKb: pct(scope.watermarks.highPercent) },
        vmstat: { workingsetRefault: stat.get('total_workingset_refault_file') ?? 0, pgscanDirect: limitHits, pgscanKswapd: 0, pgrefill: 0 },
        psi: { someAvg10: now.some.avg10, fullAvg10: now.full?.avg10 ?? 0 },
      };
    },
  };
}

export function createSampler(scope: LmkConfig['scope'], roots: SystemRoots): Sampler {
  return scope.kind === 'system' ? systemSampler(roots) : cgroupSampler(scope, roots);
}
