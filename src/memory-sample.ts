/**
 * One snapshot of memory state, all the policy sees. The device side builds it from /proc
 * (system scope: meminfo, vmstat, zoneinfo, /proc/pressure/memory) or from a cgroup (cgroup
 * scope: memory.current/max/stat/pressure, watermarks as a share of the limit). Sizes in kB.
 */
export interface MemorySample {
  /** Monotonic clock, ms. */
  readonly atMs: number;
  /** Page size in kB (4, or 16 on 16K-page devices): the vmstat counters are in pages. */
  readonly pageKb: number;
  /** MemFree; in cgroup scope limit − usage + inactive_file. */
  readonly freeKb: number;
  /** CmaFree: free but only usable by movable allocations, so not counted against watermarks. */
  readonly cmaFreeKb: number;
  /** Active(file) + Inactive(file): the page cache that thrashing is measured against. */
  readonly fileLruKb: number;
  readonly inactiveFileKb: number;
  /** Active(anon) + Inactive(anon). */
  readonly anonKb: number;
  readonly shmemKb: number;
  readonly swapTotalKb: number;
  readonly swapFreeKb: number;
  /**
   * System scope: the sum over populated zones of min/low/high + max(protection[]), as lmkd
   * computes them. Cgroup scope: the configured percentages of the limit.
   */
  readonly watermarks: {
    readonly minKb: number;
    readonly lowKb: number;
    readonly highKb: number;
  };
  /** Cumulative counters, in pages; only their changes matter. */
  readonly vmstat: {
    /** workingset_refault_file (workingset_refault before 5.9). */
    readonly workingsetRefault: number;
    readonly pgscanDirect: number;
    readonly pgscanKswapd: number;
    /** pgrefill (0 where the kernel does not print it): kswapd deactivating pages is reclaim too. */
    readonly pgrefill: number;
  };
  /** Memory PSI averages, % of wall time over 10 s. */
  readonly psi: {
    readonly someAvg10: number;
    readonly fullAvg10: number;
  };
}
