import { readdirSync, readFileSync } from 'node:fs';
import { bandOf, type BandName } from '../src/bands.js';
import { processName, parseCmdline } from '../src/procfs/cmdline.js';
import { parseOomScoreAdj } from '../src/procfs/oom-score-adj.js';
import { parseStat } from '../src/procfs/stat.js';
import { parseStatus } from '../src/procfs/status.js';
import type { ProcessInfo } from '../src/victims.js';

/** What the table knows of a process beyond ProcessInfo: its private memory, for freedKb. */
export interface ProcessDetails extends ProcessInfo {
  readonly rssAnonKb: number;
}

interface Seen {
  adj: number;
  sinceMs: number;
  startTime?: number;
  name?: string;
}

/** Every process of /proc. */
export function allPids(procRoot: string): number[] {
  return readdirSync(procRoot)
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/**
 * The processes in a cgroup and its descendants (cgroup.procs of v1 or v2): in cgroup scope only
 * these are candidates, so an agent guarding one slice never touches anything outside it.
 */
export function cgroupPids(dir: string): number[] {
  const pids: number[] = [];
  const walk = (path: string): void => {
    let text: string;
    try {
      text = readFileSync(`${path}/cgroup.procs`, 'utf8');
    } catch {
      return; // removed while we walked
    }
    for (const line of text.split('\n')) if (/^\d+$/.test(line)) pids.push(Number(line));
    let entries: string[] = [];
    try {
      entries = readdirSync(path, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    } catch {
      return;
    }
    for (const entry of entries) walk(`${path}/${entry}`);
  };
  walk(dir);
  return pids;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // the process exited, or the file is not readable: not a candidate
  }
}

/**
 * The processes of /proc as candidates. Every scan reads each process's oom_score_adj (one
 * small read) and only the processes at or above the floor in full, so a scan stays cheap on a
 * phone with a thousand processes. It remembers since when each process holds its adj, which
 * is how "longest at this adj" is ranked.
 */
export class ProcessTable {
  readonly #seen = new Map<number, Seen>();
  #nowOfLastAdjRead = 0;
  /** Text that failed to parse is never acted on; counted for status. */
  parseFailures = 0;

  /** `pids` lists the processes the agent may consider: all of /proc, or one cgroup's. */
  constructor(
    private readonly procRoot: string,
    private readonly pids: () => number[] = () => allPids(procRoot),
  ) {}

  #pids(): number[] {
    return this.pids();
  }

  #adjOf(pid: number, nowMs: number): number | undefined {
    this.#nowOfLastAdjRead = nowMs;
    const text = readText(`${this.procRoot}/${pid}/oom_score_adj`);
    if (text === undefined) return undefined;
    let adj: number;
    try {
      adj = parseOomScoreAdj(text);
    } catch {
      this.parseFailures++;
      return undefined;
    }
    const seen = this.#seen.get(pid);
    if (!seen || seen.adj !== adj) this.#seen.set(pid, { adj, sinceMs: nowMs });
    return adj;
  }

  /** Candidates' full details for every process at or above `minAdj` (and never below 0). */
  scan(minAdj: number, nowMs: number): ProcessDetails[] {
    const floor = Math.max(0, minAdj);
    const alive = new Set<number>();
    const result: ProcessDetails[] = [];
    for (const pid of this.#pids()) {
      alive.add(pid);
      const adj = this.#adjOf(pid, nowMs);
      if (adj === undefined || adj < floor) continue;
      const details = this.#details(pid, adj);
      if (details) result.push(details);
    }
    for (const pid of this.#seen.keys()) if (!alive.has(pid)) this.#seen.delete(pid);
    return result;
  }

  /** How many processes sit in each band now (for status); kernel threads are no one's band. */
  bandCounts(nowMs: number): Partial<Record<BandName, number>> {
    const counts: Partial<Record<BandName, number>> = {};
    for (const pid of this.#pids()) {
      const adj = this.#adjOf(pid, nowMs);
      if (adj === undefined) continue;
      // Kernel threads have an empty command line (and the agent reads it anyway for names).
      if ((readText(`${this.procRoot}/${pid}/cmdline`) ?? '') === '') continue;
      const band = bandOf(adj);
      counts[band] = (counts[band] ?? 0) + 1;
    }
    return counts;
  }

  #details(pid: number, adj: number): ProcessDetails | undefined {
    const statText = readText(`${this.procRoot}/${pid}/stat`);
    const statusText = readText(`${this.procRoot}/${pid}/status`);
    if (statText === undefined || statusText === undefined) return undefined;
    try {
      const stat = parseStat(statText);
      const status = parseStatus(statusText);
      const seen = this.#seen.get(pid)!;
      if (seen.startTime !== stat.starttime) {
        // A new process behind a known pid: forget what we knew of the old one.
        if (seen.startTime !== undefined) seen.sinceMs = this.#nowOfLastAdjRead;
        seen.startTime = stat.starttime;
        seen.name = undefined;
      }
      if (seen.name === undefined) {
        const cmdline = readText(`${this.procRoot}/${pid}/cmdline`) ?? '';
        const name = processName(parseCmdline(cmdline), stat.comm);
        // Zygote children carry a placeholder name until they specialise: ask again next time.
        if (name !== '<pre-initialized>') seen.name = name;
      }
      return {
        pid,
        startTime: stat.starttime,
        adj,
        uid: status.uid.real,
        name: seen.name ?? stat.comm,
        rssKb: status.vmRssKb ?? 0,
        swapKb: status.vmSwapKb ?? 0,
        rssAnonKb: status.rssAnonKb ?? 0,
        isKernelThread: stat.isKernelThread,
        // A zombie, or a task already exiting, frees itself: never a candidate.
        dying: stat.state === 'Z' || stat.state === 'X' || stat.state === 'x' || status.vmRssKb === undefined,
        adjSinceMs: seen.sinceMs,
      };
    } catch {
      this.parseFailures++;
      return undefined;
    }
  }
}
