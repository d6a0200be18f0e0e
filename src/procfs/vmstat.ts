import { ParseError, parseIntStrict } from '../parse-error.js';

/**
 * /proc/vmstat. `fields` has every counter; the typed ones are those lmkd's PSI path reads, all
 * in pages except oom_kill (kills). Kernels before 4.8 printed the reclaim counters per zone
 * (pgscan_kswapd_normal, ...) and are refused.
 */
export interface Vmstat {
  readonly fields: ReadonlyMap<string, number>;
  readonly nrFreePages: number;
  readonly nrInactiveFile: number;
  readonly nrActiveFile: number;
  readonly pgscanKswapd: number;
  readonly pgscanDirect: number;
  readonly pgstealKswapd: number;
  readonly pgstealDirect: number;
  readonly pswpin: number;
  readonly pswpout: number;
  /**
   * File refaults: workingset_refault_file on 5.9+, workingset_refault before (when anon pages
   * were not yet tracked separately, so it counted file refaults only).
   */
  readonly workingsetRefaultFile: number;
  /** Optional: lmkd reads it, but older and trimmed kernels may not print it. */
  readonly pgrefill: number | undefined;
  /** Absent before 4.13. */
  readonly oomKill: number | undefined;
}

/** Parses /proc/vmstat ("name value" per line). */
export function parseVmstat(text: string, source = '/proc/vmstat'): Vmstat {
  const fields = new Map<string, number>();
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const line of lines) {
    const match = /^(\w+) (\S+)$/.exec(line);
    if (!match) throw new ParseError(source, `not a "name value" line: ${JSON.stringify(line)}`);
    const key = match[1]!;
    if (fields.has(key)) throw new ParseError(source, `duplicate key ${key}`);
    fields.set(key, parseIntStrict(match[2]!, source, key));
  }

  const required = (key: string): number => {
    const value = fields.get(key);
    if (value === undefined) throw new ParseError(source, `missing ${key}`);
    return value;
  };
  const refault = fields.get('workingset_refault_file') ?? fields.get('workingset_refault');
  if (refault === undefined) throw new ParseError(source, 'missing workingset_refault_file and workingset_refault');
  return {
    fields,
    nrFreePages: required('nr_free_pages'),
    nrInactiveFile: required('nr_inactive_file'),
    nrActiveFile: required('nr_active_file'),
    pgscanKswapd: required('pgscan_kswapd'),
    pgscanDirect: required('pgscan_direct'),
    pgstealKswapd: required('pgsteal_kswapd'),
    pgstealDirect: required('pgsteal_direct'),
    pswpin: required('pswpin'),
    pswpout: required('pswpout'),
    workingsetRefaultFile: refault,
    pgrefill: fields.get('pgrefill'),
    oomKill: fields.get('oom_kill'),
  };
}
