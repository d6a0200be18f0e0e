import { ParseError, parseIntStrict } from './parse-error.js';

/**
 * Highest CPU id we accept: the kernel's NR_CPUS ceiling (CONFIG_MAXSMP). Bounds the work a
 * range like "0-999999999" could ask for.
 */
export const MAX_CPU_ID = 8191;

function cpuId(text: string, source: string): number {
  const id = parseIntStrict(text, source, 'CPU id');
  if (id < 0) throw new ParseError(source, `CPU id is negative: ${text}`);
  if (id > MAX_CPU_ID) throw new ParseError(source, `CPU id ${id} is above ${MAX_CPU_ID}`);
  return id;
}

function sortedUnique(ids: Iterable<number>): number[] {
  return [...new Set(ids)].sort((a, b) => a - b);
}

/**
 * Kernel range-list text, as in /sys/devices/system/cpu/online: "0-3,6,8-9\n" → [0,1,2,3,6,8,9].
 * "" (or only whitespace) → []. Result is ascending and without duplicates. Refuses reversed
 * ranges, negatives, empty items, and the stride form "0-7:2/4" (the kernel never prints it).
 */
export function parseCpuList(text: string, source = 'CPU list'): number[] {
  const body = text.trim();
  if (body === '') return [];
  const ids: number[] = [];
  for (const item of body.split(',')) {
    const match = /^\s*(\d+)(?:-(\d+))?\s*$/.exec(item);
    if (!match) throw new ParseError(source, `bad CPU list item ${JSON.stringify(item)}`);
    const first = cpuId(match[1] ?? '', source);
    const last = match[2] === undefined ? first : cpuId(match[2], source);
    if (last < first) throw new ParseError(source, `reversed CPU range ${JSON.stringify(item.trim())}`);
    for (let id = first; id <= last; id++) ids.push(id);
  }
  return sortedUnique(ids);
}

/**
 * Whitespace-separated CPU ids, as in cpufreq's related_cpus / affected_cpus ("0 1 2 3 \n":
 * the kernel prints each id followed by a space). "" → []. Ascending, without duplicates.
 */
export function parseCpuSpaceList(text: string, source = 'CPU list'): number[] {
  const body = text.trim();
  if (body === '') return [];
  return sortedUnique(body.split(/\s+/).map((item) => cpuId(item, source)));
}

/** The kernel's range-list form of a set of CPU ids: [0,1,2,3,6,8,9] → "0-3,6,8-9"; [] → "". */
export function formatCpuList(cpus: readonly number[]): string {
  for (const id of cpus) {
    if (!Number.isSafeInteger(id) || id < 0) throw new RangeError(`not a CPU id: ${id}`);
  }
  const ids = sortedUnique(cpus);
  const parts: string[] = [];
  let start = 0;
  while (start < ids.length) {
    let end = start;
    while (end + 1 < ids.length && ids[end + 1] === (ids[end] ?? 0) + 1) end++;
    parts.push(start === end ? `${ids[start]}` : `${ids[start]}-${ids[end]}`);
    start = end + 1;
  }
  return parts.join(',');
}
