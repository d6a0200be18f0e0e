/**
 * The agent at rest: its memory and how often its threads wake while nothing happens.
 * `lmk-agent run` in cgroup scope on an idle MemoryScope (nothing runs in it, so no PSI event
 * can come) with dryRun on; from the moment it is ready, VmRSS/RssAnon are read from
 * /proc/<pid>/status and every thread's voluntary + nonvoluntary context switches from
 * /proc/<pid>/task/<tid>/status, at the start and end of a start-up and an idle window. A thread
 * that sleeps until the kernel wakes it adds nothing; a periodic timer shows up as switches.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { AgentProcess } from '../support/agent-process.js';
import { MemoryScope } from '../support/memory-scope.js';
import { sleep } from './bench-support.js';
import { table } from './stats.js';

interface ThreadCount {
  readonly comm: string;
  readonly switches: number;
}

function statusField(text: string, key: string): number | null {
  const match = new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text);
  return match ? Number(match[1]) : null;
}

function threads(pid: number): Map<number, ThreadCount> {
  const result = new Map<number, ThreadCount>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const status = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
      const comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      result.set(Number(tid), { comm, switches: (statusField(status, 'voluntary_ctxt_switches') ?? 0) + (statusField(status, 'nonvoluntary_ctxt_switches') ?? 0) });
    } catch {
      // the thread ended while we read
    }
  }
  return result;
}

function memory(pid: number): { rssKb: number | null; anonKb: number | null; fileKb: number | null; hwmKb: number | null } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rssKb: statusField(status, 'VmRSS'), anonKb: statusField(status, 'RssAnon'), fileKb: statusField(status, 'RssFile'), hwmKb: statusField(status, 'VmHWM') };
}

const mib = (kb: number | null): string => (kb === null ? '?' : (kb / 1024).toFixed(1));

/** The start-up window lasts at least this long: V8 collects each isolate once, ~8 s in. */
const STARTUP_MIN_S = 15;
/** …and until no thread has woken for this long… */
const QUIET_S = 5;
/** …but no longer than this. */
const STARTUP_MAX_S = 45;

function totalSwitches(snapshot: Map<number, ThreadCount>): number {
  let sum = 0;
  for (const thread of snapshot.values()) sum += thread.switches;
  return sum;
}

/**
 * `seconds`: the idle window. Before it, a start-up window from "ready": seen here, each isolate
 * (main thread, reaper workers) is garbage-collected once some 8 s after start-up, later on a
 * loaded machine, RSS falling ~15 MiB, and the threads are silent afterwards. The start-up
 * window lasts STARTUP_MIN_S and then until no thread has woken for QUIET_S (STARTUP_MAX_S at
 * most); the idle window follows it.
 */
export async function idleBench(seconds: number, log: (line: string) => void): Promise<string> {
  const scope = MemoryScope.create('bench-idle', { ramMib: 256, swapMib: 0 });
  let agent: AgentProcess | undefined;
  try {
    agent = AgentProcess.start({ scope: scope.scopeConfig, reaper: { cpus: 'all' }, dryRun: true });
    await agent.ready();
    const pid = agent.child.pid!;
    const readyAt = Date.now();
    const snaps = [{ threads: threads(pid), memory: memory(pid), lines: agent.lines.length }];
    log(`  agent ${pid} ready; start-up window (up to ${STARTUP_MAX_S} s), then ${seconds} s idle…`);
    let previous = totalSwitches(snaps[0]!.threads);
    let quietSince = Date.now();
    for (;;) {
      await sleep(1000);
      const total = totalSwitches(threads(pid));
      if (total !== previous) quietSince = Date.now();
      previous = total;
      const elapsed = Date.now() - readyAt;
      if ((elapsed >= STARTUP_MIN_S * 1000 && Date.now() - quietSince >= QUIET_S * 1000) || elapsed >= STARTUP_MAX_S * 1000) break;
    }
    const startupS = Math.round((Date.now() - readyAt) / 1000);
    snaps.push({ threads: threads(pid), memory: memory(pid), lines: agent.lines.length });
    await sleep(seconds * 1000);
    snaps.push({ threads: threads(pid), memory: memory(pid), lines: agent.lines.length });

    const comms = new Map<string, { threads: Set<number>; wakeups: number[] }>();
    for (let w = 0; w < 2; w++) {
      const before = snaps[w]!.threads;
      for (const [tid, end] of snaps[w + 1]!.threads) {
        const entry = comms.get(end.comm) ?? { threads: new Set<number>(), wakeups: [0, 0] };
        entry.threads.add(tid);
        entry.wakeups[w]! += end.switches - (before.get(tid)?.switches ?? 0);
        comms.set(end.comm, entry);
      }
    }
    const totals = [0, 1].map((w) => [...comms.values()].reduce((sum, e) => sum + e.wakeups[w]!, 0));
    const rows = [...comms]
      .sort((a, b) => b[1].wakeups[0]! + b[1].wakeups[1]! - a[1].wakeups[0]! - a[1].wakeups[1]! || a[0].localeCompare(b[0]))
      .map(([comm, e]) => [comm, String(e.threads.size), String(e.wakeups[0]), String(e.wakeups[1])]);
    rows.push(['all threads', String(snaps[2]!.threads.size), String(totals[0]), String(totals[1])]);
    const changed = (a: Map<number, ThreadCount>, b: Map<number, ThreadCount>): string =>
      `${[...b.keys()].filter((tid) => !a.has(tid)).length}/${[...a.keys()].filter((tid) => !b.has(tid)).length}`;
    const memRow = (name: string, key: 'rssKb' | 'anonKb' | 'fileKb' | 'hwmKb'): string[] => [name, ...snaps.map((snap) => mib(snap.memory[key]))];
    const fell = ((snaps[0]!.memory.rssKb ?? 0) - (snaps[1]!.memory.rssKb ?? 0)) / 1024;
    return [
      `Agent at rest: lmk-agent run, cgroup scope on an idle MemoryScope (no PSI event can come), dry run; a start-up window from ready (${startupS} s), then ${seconds} s idle`,
      table(['memory, MiB', 'ready', `+${startupS} s`, `+${startupS + seconds} s`], [memRow('VmRSS', 'rssKb'), memRow('RssAnon', 'anonKb'), memRow('RssFile', 'fileKb'), memRow('VmHWM (peak)', 'hwmKb')]),
      `wakeups = voluntary + nonvoluntary context switches of each thread (/proc/<pid>/task/*/status), by thread name (comm)`,
      table(['thread', 'threads', `start-up, ${startupS} s`, `idle, ${seconds} s`], rows),
      `threads started/ended: ${changed(snaps[0]!.threads, snaps[1]!.threads)} in start-up, ${changed(snaps[1]!.threads, snaps[2]!.threads)} idle; log lines written: ${snaps[1]!.lines - snaps[0]!.lines}, ${snaps[2]!.lines - snaps[1]!.lines}`,
      `The start-up window lasts ${STARTUP_MIN_S} s, then until no thread has woken for ${QUIET_S} s (${STARTUP_MAX_S} s at most), because each isolate is garbage-collected once some 8 s after start-up (seen while building this bench); here RSS fell ${fell.toFixed(1)} MiB in it.`,
      totals[1] === 0 ? 'No thread woke in the idle window.' : `${totals[1]} wakeups in the idle window: see the threads above.`,
    ].join('\n');
  } finally {
    await agent?.stop();
    await scope.dispose();
  }
}
