/**
 * Where the reaper runs matters to the foreground: process_mrelease frees the victim's memory on
 * the caller's CPU. A "foreground app" (test/bench/fg-loop.c, a busy loop pinned to CPU 0 that
 * counts its iterations per 10 ms) runs throughout; 1 GiB victims, frozen in a cgroup-v1 freezer
 * so that the reaper does all of the freeing (as for Android's frozen cached apps), are killed
 * through native/process-handle.ts and reaped by a device/reaper-pool.ts ReaperPool pinned to
 * CPU 0 (the foreground's) or CPU 1, alternately. Each reap's window runs from just before the
 * signal to the reaper's reply; the foreground's loss in it is compared with its median rate in
 * quiet windows of the same length just before each kill.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseConfig } from '../../src/config.js';
import { nowMs } from '../../native/events-protocol.js';
import { ProcessHandle } from '../../native/process-handle.js';
import { ReaperPool } from '../../device/reaper-pool.js';
import { TestCgroup } from '../support/cgroups.js';
import { TestChild, waitFor } from '../support/children.js';
import { buildC } from '../support/native-build.js';
import { MiB, sleep } from './bench-support.js';
import { formatMs, formatRatio, median, table } from './stats.js';

const VICTIM_MIB = 1024;
const FOREGROUND_CPU = 0;
const OTHER_CPU = 1;
const SLOT_MS = 10;

interface Slot {
  readonly startMs: number;
  readonly iterations: number;
  readonly maxGapUs: number;
}

interface Reap {
  readonly cpu: number;
  /** Whether fg-loop was running. */
  readonly withForeground: boolean;
  /** Other threads' CPU time on the foreground's CPU during the window, ms. */
  readonly othersOnFgCpuMs: number;
  readonly fromMs: number;
  readonly toMs: number;
  readonly reapMs: number;
  readonly ranOn: number | null;
  readonly errno: string | null;
}

interface Loss {
  /** Foreground CPU time lost in the window: iterations missing against the quiet rate, as ms. */
  readonly lostMs: number;
  /** The longest the loop was off its CPU within the window. */
  readonly worstStallMs: number;
  readonly windowMs: number;
}

/** Every thread's total run time (schedstat, ns) and the CPU it last ran on, by "pid/tid". */
function threadTimes(): Map<string, { runNs: number; cpu: number }> {
  const result = new Map<string, { runNs: number; cpu: number }>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const runNs = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const cpu = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[36]); // field 39, processor
        result.set(`${pid}/${tid}`, { runNs, cpu });
      } catch {
        // exited while we read
      }
    }
  }
  return result;
}

/**
 * CPU time that threads not skipped used between two snapshots,
 * counting threads that were last seen on `cpu` (exact run time; the CPU is where the thread
 * was when the window ended, so a thread that moved counts where it landed).
 */
function othersOn(cpu: number, before: Map<string, { runNs: number }>, after: Map<string, { runNs: number; cpu: number }>, skip: (key: string) => boolean): number {
  let ns = 0;
  for (const [key, end] of after) {
    if (end.cpu !== cpu || skip(key)) continue;
    ns += end.runNs - (before.get(key)?.runNs ?? 0);
  }
  return ns / 1e6;
}

async function startForeground(binary: string): Promise<{ child: ChildProcess; output: Promise<string> }> {
  const child = spawn(binary, [String(FOREGROUND_CPU)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  if (!(await waitFor(() => text.startsWith('ready\n'), 5_000))) throw new Error('fg-loop did not start');
  const output = once(child, 'exit').then(() => text.slice('ready\n'.length));
  return { child, output };
}

function parseSlots(text: string): Slot[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [start, iterations, gap] = line.split(' ').map(Number);
      return { startMs: start!, iterations: iterations!, maxGapUs: gap! };
    });
}

/** Slots that lie wholly inside [fromMs, toMs] widened to whole slots (the last one may be partial). */
function slotsIn(slots: readonly Slot[], fromMs: number, toMs: number): Slot[] {
  return slots.filter((slot) => slot.startMs + SLOT_MS > fromMs && slot.startMs < toMs);
}

function lossIn(slots: readonly Slot[], fromMs: number, toMs: number, ratePerSlot: number): Loss {
  const inWindow = slotsIn(slots, fromMs, toMs);
  const missing = inWindow.reduce((sum, slot) => sum + Math.max(0, ratePerSlot - slot.iterations), 0);
  return {
    lostMs: (missing / ratePerSlot) * SLOT_MS,
    worstStallMs: Math.max(0, ...inWindow.map((slot) => slot.maxGapUs / 1000)),
    windowMs: inWindow.length * SLOT_MS,
  };
}

export async function pinnedReapBench(runs: number, log: (line: string) => void): Promise<string> {
  const binary = buildC('test/bench/fg-loop.c');
  const defaults = parseConfig({});
  const nice = defaults.ok ? defaults.config.reaper.nice : -20;
  const memory = TestCgroup.create('memory', 'bench-pin');
  const freezer = TestCgroup.create('freezer', 'bench-pin');
  const pools = new Map<number, ReaperPool>();
  let foreground: { child: ChildProcess; output: Promise<string> } | undefined;
  const victims: TestChild[] = [];
  const reaps: Reap[] = [];
  const load = loadavg()[0]!;
  try {
    memory.write('memory.limit_in_bytes', (VICTIM_MIB + 512) * MiB);
    for (const cpu of [FOREGROUND_CPU, OTHER_CPU]) pools.set(cpu, await ReaperPool.start({ cpus: [cpu], threads: 1, nice }));

    const reapOnce = async (cpu: number): Promise<Reap> => {
      const victim = await TestChild.hog(VICTIM_MIB, 'pause', [memory, freezer]);
      victims.push(victim);
      try {
        freezer.write('freezer.state', 'FROZEN');
        if (!(await waitFor(() => freezer.read('freezer.state').trim() === 'FROZEN', 5_000))) throw new Error('victim did not freeze');
        await sleep(400); // quiet: the window before the kill is the baseline
        const handle = ProcessHandle.open(victim.pid);
        try {
          const before = threadTimes();
          const fromMs = nowMs();
          handle.kill();
          const result = await pools.get(cpu)!.tryReap(handle.fd)!;
          const toMs = nowMs();
          const fgPid = foreground?.child.pid;
          // Not the bench itself either: reading every thread's times costs its main thread
          // ~10 ms, outside the window but between the two readings.
          const othersOnFgCpuMs = othersOn(FOREGROUND_CPU, before, threadTimes(), (key) => key.startsWith(`${process.pid}/`) || key.startsWith(`${fgPid}/`));
          return { cpu, withForeground: foreground !== undefined, othersOnFgCpuMs, fromMs, toMs, reapMs: result.ms, ranOn: result.cpu, errno: result.errno };
        } finally {
          handle.close();
        }
      } finally {
        freezer.write('freezer.state', 'THAWED');
        await victim.kill();
        await waitFor(() => memory.readNumber('memory.usage_in_bytes') < 16 * MiB, 5_000);
      }
    };
    const order = (run: number): number[] => (run % 2 === 0 ? [FOREGROUND_CPU, OTHER_CPU] : [OTHER_CPU, FOREGROUND_CPU]);

    // Control: the same reaps with nothing spinning on CPU 0.
    for (let run = 0; run < runs; run++) for (const cpu of order(run)) reaps.push(await reapOnce(cpu));
    log(`  without the foreground loop: ${reaps.map((r) => `CPU ${r.cpu} ${formatMs(r.reapMs)} ms`).join(', ')}`);
    foreground = await startForeground(binary);
    for (let run = 0; run < 2 * runs; run++) {
      for (const cpu of order(run)) reaps.push(await reapOnce(cpu));
      log(`  with it, run ${run + 1}/${2 * runs}: ${reaps.slice(-2).map((r) => `CPU ${r.cpu} ${formatMs(r.reapMs)} ms`).join(', ')}`);
    }
  } finally {
    if (foreground && foreground.child.exitCode === null && foreground.child.signalCode === null) foreground.child.kill('SIGTERM');
    for (const victim of victims) await victim.kill();
    for (const pool of pools.values()) await pool.stop();
    await freezer.remove();
    await memory.remove();
  }
  const slots = parseSlots(await foreground.output);

  const measured = reaps.filter((r) => r.withForeground);
  // The quiet rate: median iterations per slot in windows as long as each reap's, just before it.
  const quietWindows = measured.map((r) => ({ fromMs: r.fromMs - (r.toMs - r.fromMs) - 100, toMs: r.fromMs - 100 }));
  const quietSlots = quietWindows.flatMap((w) => slotsIn(slots, w.fromMs, w.toMs)).filter((slot) => slot.iterations > 0);
  const rate = median(quietSlots.map((slot) => slot.iterations)) ?? 1;
  const quiet = quietWindows.map((w) => lossIn(slots, w.fromMs, w.toMs, rate));
  const med = (values: number[]): number | null => median(values);
  const by = (cpu: number): { control: Reap[]; reaps: Reap[]; losses: Loss[] } => {
    const mine = measured.filter((r) => r.cpu === cpu);
    return { control: reaps.filter((r) => !r.withForeground && r.cpu === cpu), reaps: mine, losses: mine.map((r) => lossIn(slots, r.fromMs, r.toMs, rate)) };
  };
  const on0 = by(FOREGROUND_CPU);
  const on1 = by(OTHER_CPU);
  const row = (name: string, placement: { control: Reap[]; reaps: Reap[]; losses: Loss[] } | null, losses: Loss[]): string[] => [
    name,
    placement ? formatMs(med(placement.control.map((r) => r.reapMs))) : '',
    placement ? formatMs(med(placement.reaps.map((r) => r.reapMs))) : '',
    placement ? [...new Set(placement.reaps.map((r) => r.ranOn))].join(',') : '',
    formatMs(med(losses.map((l) => l.windowMs))),
    formatMs(med(losses.map((l) => l.lostMs))),
    `${((med(losses.map((l) => l.lostMs / l.windowMs)) ?? 0) * 100).toFixed(0)} %`,
    formatMs(med(losses.map((l) => l.worstStallMs))),
    formatMs(Math.max(...losses.map((l) => l.worstStallMs))),
    placement ? formatMs(med(placement.reaps.map((r) => r.othersOnFgCpuMs))) : '',
  ];
  const errnos = reaps.filter((r) => r.errno !== null).map((r) => r.errno);
  // What the thread hop costs: signal → the reaper's reply, less the process_mrelease call itself.
  const handoff = reaps.map((r) => r.toMs - r.fromMs - r.reapMs);
  const ratio = (pick: (p: { control: Reap[]; reaps: Reap[]; losses: Loss[] }) => number[]): string => formatRatio(med(pick(on0)), med(pick(on1)));
  return [
    `Reaper placement: ${VICTIM_MIB} MiB victims frozen (cgroup-v1 freezer, so the reaper does all the freeing), SIGKILL + process_mrelease from a`,
    `ReaperPool thread pinned to CPU ${FOREGROUND_CPU} or CPU ${OTHER_CPU} (nice ${nice}, the agent's default) while fg-loop.c spins pinned to CPU ${FOREGROUND_CPU} (nice 0);`,
    `${2 * runs} reaps per placement (and ${runs} each before the loop started, as a control), alternating, medians; window = signal → reaper's reply, in whole 10 ms slots; 1-min load average at start ${load.toFixed(2)}`,
    table(
      ['reaper on', 'reap ms, no fg', 'reap ms', 'ran on', 'window ms', 'fg CPU lost ms', 'fg lost', 'fg worst stall ms', 'max', `others on CPU ${FOREGROUND_CPU} ms`],
      [row(`CPU ${FOREGROUND_CPU} (the foreground's)`, on0, on0.losses), row(`CPU ${OTHER_CPU} (another)`, on1, on1.losses), row('quiet window before each kill', null, quiet)],
    ),
    `CPU ${FOREGROUND_CPU}/CPU ${OTHER_CPU}: reap ${ratio((p) => p.reaps.map((r) => r.reapMs))} (without the loop ${ratio((p) => p.control.map((r) => r.reapMs))}), foreground CPU lost ${ratio((p) => p.losses.map((l) => l.lostMs))}, worst stall ${ratio((p) => p.losses.map((l) => l.worstStallMs))}`,
    `fg CPU lost: iterations missing against the loop's quiet rate (${Math.round(rate)} per 10 ms), as ms of its CPU; worst stall: longest gap between two iterations;`,
    `hand-off: signal → the reaper's reply less process_mrelease's own time (kill, postMessage, the worker waking, the reply), median ${formatMs(median(handoff))} ms, max ${formatMs(Math.max(...handoff))} ms over ${handoff.length} reaps;`,
    `others on CPU ${FOREGROUND_CPU}: CPU time of the threads of every other process (not this bench, its reapers, or fg-loop) last seen on CPU ${FOREGROUND_CPU} after the window (schedstat), i.e. other work that competed with the foreground.${errnos.length ? ` process_mrelease errors: ${errnos.join(', ')}.` : ''}`,
    `This machine's CPUs are identical, so this shows what reaping costs the CPU it runs on (here the foreground's), not a little- vs big-core speed difference.`,
  ].join('\n');
}
