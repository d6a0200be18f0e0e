import { ParseError, parseIntStrict } from '../parse-error.js';

/**
 * /proc/meminfo. Every line lands in `kb` (lines ending in " kB") or `counts` (unitless lines:
 * HugePages_Total/Free/Rsvd/Surp are page counts, not kB). The typed fields are the ones lmkd
 * reads; only MemTotal and MemFree are required, the rest are undefined when the kernel does not
 * print them (CmaFree needs CONFIG_CMA; ION_heap and ION_heap_pool come from Android vendor code).
 */
export interface Meminfo {
  readonly kb: ReadonlyMap<string, number>;
  readonly counts: ReadonlyMap<string, number>;
  readonly memTotalKb: number;
  readonly memFreeKb: number;
  readonly memAvailableKb: number | undefined;
  readonly buffersKb: number | undefined;
  readonly cachedKb: number | undefined;
  readonly swapCachedKb: number | undefined;
  readonly activeAnonKb: number | undefined;
  readonly inactiveAnonKb: number | undefined;
  readonly activeFileKb: number | undefined;
  readonly inactiveFileKb: number | undefined;
  readonly unevictableKb: number | undefined;
  readonly swapTotalKb: number | undefined;
  readonly swapFreeKb: number | undefined;
  readonly shmemKb: number | undefined;
  readonly sReclaimableKb: number | undefined;
  readonly sUnreclaimKb: number | undefined;
  readonly kernelStackKb: number | undefined;
  readonly pageTablesKb: number | undefined;
  readonly cmaFreeKb: number | undefined;
  readonly ionHeapKb: number | undefined;
  readonly ionHeapPoolKb: number | undefined;
}

/** Parses /proc/meminfo ("Key:   <n> kB" or "Key:   <n>" per line). */
export function parseMeminfo(text: string, source = '/proc/meminfo'): Meminfo {
  const kb = new Map<string, number>();
  const counts = new Map<string, number>();
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const line of lines) {
    const match = /^([\w()]+):\s+(\S+)( kB)?$/.exec(line);
    if (!match) throw new ParseError(source, `not a "Key: value [kB]" line: ${JSON.stringify(line)}`);
    const key = match[1]!;
    if (kb.has(key) || counts.has(key)) throw new ParseError(source, `duplicate key ${key}`);
    (match[3] === undefined ? counts : kb).set(key, parseIntStrict(match[2]!, source, key));
  }

  const required = (key: string): number => {
    const value = kb.get(key);
    if (value === undefined) throw new ParseError(source, `missing ${key} (in kB)`);
    return value;
  };
  return {
    kb,
    counts,
    memTotalKb: required('MemTotal'),
    memFreeKb: required('MemFree'),
    memAvailableKb: kb.get('MemAvailable'),
    buffersKb: kb.get('Buffers'),
    cachedKb: kb.get('Cached'),
    swapCachedKb: kb.get('SwapCached'),
    activeAnonKb: kb.get('Active(anon)'),
    inactiveAnonKb: kb.get('Inactive(anon)'),
    activeFileKb: kb.get('Active(file)'),
    inactiveFileKb: kb.get('Inactive(file)'),
    unevictableKb: kb.get('Unevictable'),
    swapTotalKb: kb.get('SwapTotal'),
    swapFreeKb: kb.get('SwapFree'),
    shmemKb: kb.get('Shmem'),
    sReclaimableKb: kb.get('SReclaimable'),
    sUnreclaimKb: kb.get('SUnreclaim'),
    kernelStackKb: kb.get('KernelStack'),
    pageTablesKb: kb.get('PageTables'),
    cmaFreeKb: kb.get('CmaFree'),
    ionHeapKb: kb.get('ION_heap'),
    ionHeapPoolKb: kb.get('ION_heap_pool'),
  };
}
