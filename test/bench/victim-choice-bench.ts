/**
 * What a decision costs besides the syscalls: src/victims.ts chooseVictim over 1,000 synthetic
 * processes, and device/process-table.ts ProcessTable.scan over this machine's real /proc, as
 * is and with 1,000 sleeping children of ours added.
 */
import { readdirSync } from 'node:fs';
import { parseConfig, type LmkConfigInput } from '../../src/config.js';
import { chooseVictim, compileRules, type ProcessInfo, type VictimRules } from '../../src/victims.js';
import { nowMs } from '../../native/events-protocol.js';
import { ProcessTable } from '../../device/process-table.js';
import { TestCgroup } from '../support/cgroups.js';
import { TestChild, waitFor } from '../support/children.js';
import { MiB } from './bench-support.js';
import { formatMs, median, quantile, table } from './stats.js';

/** A deterministic pseudo-random sequence, so every run times the same table. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * 1,000 processes as a phone's table would hold them: 600 cached apps (adj 900–999), 250 apps
 * between foreground and service B (0–800), 150 native/system/persistent processes and kernel
 * threads (negative adj), in shuffled pid order; RSS 5–400 MB, some swapped, "since" times spread.
 */
export function syntheticTable(): ProcessInfo[] {
  const random = lcg(42);
  const pick = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  const processes: ProcessInfo[] = [];
  for (let i = 0; i < 1000; i++) {
    const kind = i < 600 ? 'cached' : i < 850 ? 'app' : 'native';
    const adj = kind === 'cached' ? pick(900, 999) : kind === 'app' ? [0, 100, 200, 250, 300, 400, 500, 600, 700, 800][pick(0, 9)]! : [-1000, -900, -800, -700][pick(0, 3)]!;
    const name = kind === 'native' ? `/system/bin/daemon${i}` : `com.example.app${i}${random() < 0.3 ? ':service' : ''}`;
    processes.push({
      pid: 1000 + i,
      startTime: 100_000 + i,
      adj,
      uid: kind === 'native' ? 0 : 10_000 + i,
      name,
      rssKb: pick(5_000, 400_000),
      swapKb: random() < 0.5 ? pick(0, 100_000) : 0,
      isKernelThread: kind === 'native' && random() < 0.3,
      dying: random() < 0.01,
      adjSinceMs: pick(0, 3_600_000),
    });
  }
  for (let i = processes.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [processes[i], processes[j]] = [processes[j]!, processes[i]!];
  }
  return processes;
}

function rulesOf(input: LmkConfigInput): VictimRules {
  const parsed = parseConfig(input);
  if (!parsed.ok) throw new Error(parsed.error);
  // As on a phone: only app uids are candidates (config candidates "auto" on Android).
  return compileRules(parsed.config, [process.pid], true);
}

/** Microseconds per call of `fn`, one sample per call, after a warm-up. */
function timeCalls(iterations: number, fn: () => void): number[] {
  for (let i = 0; i < Math.min(500, iterations); i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e3);
  }
  return samples;
}

function countProcesses(): number {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).length;
}

async function startSleepers(group: TestCgroup, count: number): Promise<TestChild[]> {
  const random = lcg(7);
  const children: TestChild[] = [];
  for (let i = 0; i < count; i++) {
    // On a phone most processes are native (negative adj); setting a negative adj needs
    // CAP_SYS_RESOURCE, which root lacks here, so they stand at 0.
    const r = random();
    const adj = r < 0.7 ? 0 : r < 0.9 ? 100 * Math.floor(1 + random() * 8) : 900 + Math.floor(random() * 100);
    children.push(TestChild.spawn('/bin/sh', ['-c', `${group.joinCommand()} && echo ${adj} > /proc/$$/oom_score_adj && exec sleep 3600`]));
  }
  // Started once every one of them is a sleep in our group.
  await waitFor(() => group.pids().length >= count, 30_000);
  await new Promise((resolve) => setTimeout(resolve, 200));
  return children;
}

export async function victimChoiceBench(runs: number, log: (line: string) => void): Promise<string> {
  const processes = syntheticTable();
  const stock = rulesOf({});
  const named = rulesOf({
    protectedPackages: ['^com\\.example\\.app1\\d\\d$', 'com\\.whatsapp', '^com\\.android\\.systemui$'],
    prefer: ['^com\\.example\\.app9\\d\\d:service$', 'com\\.facebook'],
    avoid: ['^com\\.example\\.app8', 'com\\.spotify'],
  });
  const iterations = 2000 * Math.max(1, runs);
  const chooseRows: string[][] = [];
  for (const [label, rules] of [['stock (no name rules)', stock], ['3 protected, 2 prefer, 2 avoid patterns', named]] as const) {
    for (const minAdj of [701, 201, 0]) {
      const samples = timeCalls(iterations, () => void chooseVictim(processes, minAdj, rules));
      chooseRows.push([`${label}, minAdj ${minAdj}`, formatMs(median(samples)), formatMs(quantile(samples, 0.99))]);
    }
  }
  log('  chooseVictim: done');

  const scanRows: string[][] = [];
  const scanOnce = (tableOf: ProcessTable, minAdj: number): { ms: number; found: number } => {
    const start = performance.now();
    const found = tableOf.scan(minAdj, nowMs()).length;
    return { ms: performance.now() - start, found };
  };
  const scanRowsFor = (what: string, scans: number): void => {
    const procs = countProcesses();
    for (const minAdj of [701, 0]) {
      const fresh = new ProcessTable('/proc');
      const first = scanOnce(fresh, minAdj);
      const samples: number[] = [];
      let found = first.found;
      for (let i = 0; i < scans; i++) {
        const scan = scanOnce(fresh, minAdj);
        samples.push(scan.ms);
        found = scan.found;
      }
      scanRows.push([`${what}: ${procs} processes, minAdj ${minAdj}`, String(found), formatMs(first.ms), formatMs(median(samples)), formatMs(quantile(samples, 0.99))]);
    }
  };
  scanRowsFor('/proc as is', 30 * Math.max(1, runs));
  const group = TestCgroup.create('memory', 'bench-scan');
  let children: TestChild[] = [];
  try {
    group.write('memory.limit_in_bytes', 512 * MiB);
    children = await startSleepers(group, 1000);
    scanRowsFor('+1,000 sleeping children', 10 * Math.max(1, runs));
  } finally {
    for (const child of children) await child.kill();
    await group.remove();
  }
  log('  ProcessTable.scan: done');

  return [
    `Victim choice: src/victims.ts chooseVictim over 1,000 synthetic processes (600 cached 900–999, 250 at 0–800, 150 negative), ${iterations} calls each, µs per call`,
    table(['rules, floor', 'median µs', 'p99 µs'], chooseRows),
    '',
    `Process table: device/process-table.ts ProcessTable.scan(minAdj) over this machine's /proc (reads every oom_score_adj, then stat, status and, once per process, cmdline of those at or above the floor), ms per scan`,
    table(['/proc', 'returned', 'first scan', 'median', 'p99'], scanRows),
    'The children sleep at adj 0 (70 %), 100–800 (20 %) and 900–999 (10 %); on a phone the 0s would be negative (native) and skipped by a minAdj 0 scan too.',
  ].join('\n');
}
