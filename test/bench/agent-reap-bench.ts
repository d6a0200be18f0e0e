/**
 * The agent's real kill path on victims of a known size, against a C program of the same
 * syscalls, measured the same way for both.
 *
 * Scene: a memory-limited scope (MemoryScope: cgroup-v1 limit + zram swap; PSI from a cgroup2
 * group made fresh for every run, see Scene.psiGroup) holding a 1 GiB victim at adj 999 in a child memcg with swappiness 0 (so all of it stays
 * resident, as in reap-bench), idle or frozen (cgroup-v1 freezer, as Android freezes cached
 * apps), and a "pusher" at adj 0 that grows past the limit and thrashes in zram. The running
 * agent sees the pusher's stall as a PSI "full" event and kills the highest adj: the victim.
 * Right after, the same scene runs without the agent (it is started for each of its runs and
 * stopped after), and after as long as the agent took from pusher start to signal,
 * native/reference/reap-ref.c kills and reaps the victim. (A negative adj for the pusher, which would
 * let the agent stay, needs CAP_SYS_RESOURCE, which root lacks here.)
 *
 * Measured for both: process_mrelease's duration (agent: the kill record's reap.ms, timed in its
 * reaper thread; C: timed around the call), signal → 90 % of the victim's memory uncharged (a
 * cgroup-v1 memory threshold eventfd on the victim's memcg, seen by a worker thread blocked in
 * poll), and for idle victims signal → exit (pidfd readable; agent: the record's exitMs from its
 * events worker; C: the bench's own events worker on a pidfd). Signal times: the agent's log
 * line (timing.signalAtMs) and reap-ref's output, both CLOCK_MONOTONIC like process.hrtime.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseConfig } from '../../src/config.js';
import { nowMs } from '../../native/events-protocol.js';
import { EventsWatcher } from '../../native/events-watcher.js';
import { ProcessHandle } from '../../native/process-handle.js';
import { SyscallError } from '../../native/syscall-error.js';
import { AgentProcess, type LogLine } from '../support/agent-process.js';
import { TestCgroup } from '../support/cgroups.js';
import { TestChild, waitFor } from '../support/children.js';
import { MemoryScope } from '../support/memory-scope.js';
import { buildC } from '../support/native-build.js';
import { childCgroup, MiB, UsageThreshold } from './bench-support.js';
import { formatMs, formatRatio, median, table } from './stats.js';

const VICTIM_MIB = 1024;
const PUSHER_MIB = 1024;
/** The scope's RAM: the victim plus less than the pusher wants, so the pusher must swap. */
const RAM_MIB = VICTIM_MIB + 384;
/** Room for victim + pusher in RAM + swap, so the kernel's OOM killer never has to act. */
const SWAP_MIB = 1024;
const WAIT_MS = 30_000;
/** The agent's reapers run at the config's nice (-20 by default); reap-ref.c runs at the same. */
const REAPER_NICE = ((): number => {
  const defaults = parseConfig({});
  return defaults.ok ? defaults.config.reaper.nice : -20;
})();

/**
 * The agent config of the agent benchmarks: PSI "full" at 100 ms per 1 s (the kernel scales it
 * to 200 ms / 2 s here) instead of stock 700 ms, and "some" at 1000 ms (it then never fires
 * before "full"), so that a stall is a PSI event the agent decides a kill on (NOT_RESPONDING).
 * With stock triggers the "some" event fires first, finds no reason to kill, and the kill
 * follows on a poll. The event → signal path is the same code whichever trigger fires.
 */
export const BENCH_PSI = { partialStallMs: 1000, completeStallMs: 100 } as const;

type VictimState = 'idle' | 'frozen';

interface Sample {
  readonly reapMs: number | null;
  readonly reapErrno: string | null;
  readonly freedMs: number | null;
  /** null for frozen victims: they exit only when the bench thaws them. */
  readonly exitMs: number | null;
  /** Pusher start → signal (the agent's reaction time; the C run waits as long). */
  readonly pressureToSignalMs: number;
  /** The victim's resident and swapped memory just before the kill (agent: its record). */
  readonly rssKb: number;
  readonly swapKb: number;
  /** Agent only: PSI event (POLLPRI in its events worker) → signal; null if decided on a poll. */
  readonly eventToSignalMs: number | null;
}

interface Scene {
  readonly scope: MemoryScope;
  /**
   * The cgroup2 group of this run, whose memory.pressure the agent watches: a fresh one per run.
   * The kernel starts a new PSI trigger's window from totals that only privileged triggers
   * (CAP_SYS_RESOURCE, which root lacks here) keep current, so an unprivileged trigger on a
   * group with a stall history fires at its first update, counting stall from before it existed.
   */
  psiGroup: TestCgroup;
  readonly victimMemory: TestCgroup;
  readonly freezer: TestCgroup;
  readonly watcher: EventsWatcher;
  readonly children: TestChild[];
  /** The agent while one runs (for diagnostics). */
  agent?: AgentProcess | undefined;
}

/** VmRSS and VmSwap of a live process, kB. */
function residency(pid: number): { rssKb: number; swapKb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { rssKb: kb('VmRSS'), swapKb: kb('VmSwap') };
}

async function startVictim(scene: Scene, state: VictimState, id: string): Promise<{ victim: TestChild; threshold: UsageThreshold }> {
  let victim: TestChild;
  try {
    victim = await TestChild.hog(VICTIM_MIB, 'pause', [scene.psiGroup, scene.victimMemory, scene.freezer], { oomScoreAdj: 999 });
  } catch (error) {
    const agentLines = scene.agent?.lines.filter((l) => l.event === 'kill' || l.event === 'pressure' || Number(l['level']) > 30) ?? [];
    throw new Error(`${id}: ${(error as Error).message}; kernel OOM kills in the scope: ${scene.scope.oomKills()}; agent's kill/pressure/warning lines: ${JSON.stringify(agentLines)}`);
  }
  scene.children.push(victim);
  if (state === 'frozen') {
    scene.freezer.write('freezer.state', 'FROZEN');
    if (!(await waitFor(() => scene.freezer.read('freezer.state').trim() === 'FROZEN', 5_000))) throw new Error('victim did not freeze');
  }
  const threshold = UsageThreshold.register(scene.victimMemory, VICTIM_MIB * MiB * 0.1, scene.watcher, `freed-${id}`, WAIT_MS);
  return { victim, threshold };
}

async function startPusher(scene: Scene): Promise<TestChild> {
  const pusher = await TestChild.hog(PUSHER_MIB, { grow: { stepMib: 8, intervalMs: 10 } }, [scene.scope.memory, scene.psiGroup], { oomScoreAdj: 0 });
  scene.children.push(pusher);
  return pusher;
}

/** Replaces the run's cgroup2 group by a new one, with no stall history (see Scene.psiGroup). */
async function freshPsiGroup(scene: Scene): Promise<TestCgroup> {
  if (scene.psiGroup !== scene.scope.unified) await scene.psiGroup.remove();
  scene.psiGroup = scene.scope.unified; // until the new one exists
  return TestCgroup.create(undefined, 'bench-agent-reap-psi');
}

async function settle(scene: Scene, ...children: TestChild[]): Promise<void> {
  scene.freezer.write('freezer.state', 'THAWED');
  for (const child of children) await child.kill();
  await waitFor(() => scene.scope.memory.readNumber('memory.memsw.usage_in_bytes') < 32 * MiB, 10_000);
}

type KillLine = LogLine & {
  reap: { ms: number; errno: string | null } | null;
  exitMs: number | null;
  rssKb: number;
  swapKb: number;
  timing: { signalAtMs: number; eventAtMs: number | null };
};

async function agentRun(scene: Scene, agent: AgentProcess, state: VictimState, id: string): Promise<Sample> {
  await agent.ready();
  const { victim, threshold } = await startVictim(scene, state, id);
  const pushedAt = nowMs();
  const pusher = await startPusher(scene);
  try {
    const killed = agent.waitFor((l: LogLine) => l.event === 'kill' && l.pid === victim.pid, WAIT_MS) as Promise<KillLine>;
    // The record waits for the victim's exit; a frozen one exits once thawed, after its memory is gone.
    const freedAt = await threshold.crossed;
    if (state === 'frozen') scene.freezer.write('freezer.state', 'THAWED');
    const line = await killed;
    const signalAt = line.timing.signalAtMs;
    return {
      reapMs: line.reap?.ms ?? null,
      reapErrno: line.reap?.errno ?? null,
      freedMs: freedAt === null ? null : freedAt - signalAt,
      exitMs: state === 'frozen' ? null : line.exitMs,
      pressureToSignalMs: signalAt - pushedAt,
      rssKb: line.rssKb,
      swapKb: line.swapKb,
      eventToSignalMs: line.timing.eventAtMs === null ? null : signalAt - line.timing.eventAtMs,
    };
  } finally {
    await threshold.close();
    await settle(scene, pusher, victim);
  }
}

async function cRun(scene: Scene, binary: string, state: VictimState, id: string, delayMs: number): Promise<Sample> {
  const { victim, threshold } = await startVictim(scene, state, id);
  const pushedAt = nowMs();
  const pusher = await startPusher(scene);
  const handle = ProcessHandle.open(victim.pid);
  const exitId = `exit-${id}`;
  try {
    const exited = scene.watcher.next((event) => event.id === exitId && event.type === 'exited', WAIT_MS);
    scene.watcher.watchExit(exitId, handle.fd);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, pushedAt + delayMs - nowMs())));
    const { rssKb, swapKb } = residency(victim.pid);
    const out = JSON.parse(execFileSync(binary, ['-n', String(REAPER_NICE), String(victim.pid), 'mrelease'], { encoding: 'utf8' })) as { signalAtMs: number; mreleaseMs: number; mreleaseErrno: number };
    const freedAt = await threshold.crossed;
    if (state === 'frozen') scene.freezer.write('freezer.state', 'THAWED');
    const exitAt = (await exited)?.atMs ?? null;
    return {
      reapMs: out.mreleaseMs,
      reapErrno: out.mreleaseErrno === 0 ? null : new SyscallError('process_mrelease', out.mreleaseErrno).code,
      freedMs: freedAt === null ? null : freedAt - out.signalAtMs,
      exitMs: state === 'frozen' || exitAt === null ? null : exitAt - out.signalAtMs,
      pressureToSignalMs: out.signalAtMs - pushedAt,
      rssKb,
      swapKb,
      eventToSignalMs: null,
    };
  } finally {
    await scene.watcher.unwatch(exitId);
    handle.close();
    await threshold.close();
    await settle(scene, pusher, victim);
  }
}

const STATES: readonly VictimState[] = ['idle', 'frozen'];

export async function agentReapBench(runs: number, log: (line: string) => void): Promise<string> {
  const binary = buildC('native/reference/reap-ref.c');
  const scope = MemoryScope.create('bench-agent-reap', { ramMib: RAM_MIB, swapMib: SWAP_MIB });
  const children: TestChild[] = [];
  let victimMemory: TestCgroup | undefined;
  let freezer: TestCgroup | undefined;
  let watcher: EventsWatcher | undefined;
  let agent: AgentProcess | undefined;
  let scene: Scene | undefined;
  try {
    victimMemory = childCgroup(scope.memory, 'victim');
    victimMemory.write('memory.swappiness', 0);
    freezer = TestCgroup.create('freezer', 'bench-agent-reap');
    watcher = await EventsWatcher.start();
    scene = { scope, psiGroup: scope.unified, victimMemory, freezer, watcher, children };
    const agentSamples = new Map<VictimState, Sample[]>(STATES.map((state) => [state, []]));
    const cSamples = new Map<VictimState, Sample[]>(STATES.map((state) => [state, []]));
    const brief = (s: Sample): string => `reap ${formatMs(s.reapMs)} ms${s.reapErrno ? ` (${s.reapErrno})` : ''}, 90 % freed ${formatMs(s.freedMs)} ms, pusher → signal ${formatMs(s.pressureToSignalMs)} ms`;
    for (let run = 0; run < runs; run++) {
      for (const state of STATES) {
        scene.psiGroup = await freshPsiGroup(scene);
        agent = AgentProcess.start({ scope: { kind: 'cgroup', cgroup2: scene.psiGroup.dir, memcg: scope.memory.dir }, reaper: { cpus: 'all' }, psi: BENCH_PSI });
        scene.agent = agent;
        const a = await agentRun(scene, agent, state, `agent-${state}-${run}`);
        await agent.stop();
        agent = undefined;
        scene.agent = undefined;
        scene.psiGroup = await freshPsiGroup(scene);
        const c = await cRun(scene, binary, state, `c-${state}-${run}`, a.pressureToSignalMs);
        agentSamples.get(state)!.push(a);
        cSamples.get(state)!.push(c);
        log(`  ${state} victim, run ${run + 1}/${runs}: agent ${brief(a)}; C ${brief(c)}`);
      }
    }

    const reaped = (samples: Sample[]): Sample[] => samples.filter((s) => s.reapErrno === null);
    const esrch = (samples: Sample[]): number => samples.filter((s) => s.reapErrno === 'ESRCH').length;
    const all = [...agentSamples.values(), ...cSamples.values()].flat();
    const other = all.filter((s) => s.reapErrno !== null && s.reapErrno !== 'ESRCH').map((s) => s.reapErrno);
    const mib = (kb: number | null): string => (kb === null ? '?' : (kb / 1024).toFixed(0));
    const row = (name: string, samples: Sample[]): string[] => [
      name,
      formatMs(median(reaped(samples).map((s) => s.reapMs))),
      `${reaped(samples).length}/${esrch(samples)}`,
      formatMs(median(samples.map((s) => s.freedMs))),
      samples.every((s) => s.exitMs === null) ? 'n/a' : formatMs(median(samples.map((s) => s.exitMs))),
      `${mib(median(samples.map((s) => s.rssKb)))}+${mib(median(samples.map((s) => s.swapKb)))}`,
      formatMs(median(samples.map((s) => s.pressureToSignalMs))),
    ];
    const rows: string[][] = [];
    for (const state of STATES) {
      const a = agentSamples.get(state)!;
      const c = cSamples.get(state)!;
      const ratio = (pick: (s: Sample) => number | null, filter: (samples: Sample[]) => Sample[] = (x) => x): string =>
        formatRatio(median(filter(a).map(pick)), median(filter(c).map(pick)));
      rows.push(row(`${state}: agent`, a), row(`${state}: C`, c));
      rows.push([`${state}: agent/C`, ratio((s) => s.reapMs, reaped), '', ratio((s) => s.freedMs), state === 'frozen' ? '' : ratio((s) => s.exitMs), '', '']);
    }
    const events = [...agentSamples.values()].flat().map((s) => s.eventToSignalMs).filter((ms): ms is number => ms !== null);
    return [
      `Agent kill path vs C: ${VICTIM_MIB} MiB victims (swappiness 0: all resident), idle or frozen, killed under a pusher's PSI stall, ${runs} runs each, medians, ms`,
      `agent = lmk-agent run (cgroup scope, reaper cpus all); C = native/reference/reap-ref.c at nice ${REAPER_NICE} like the agent's reapers (pidfd_send_signal, then process_mrelease at once in the same thread)`,
      table(['victim: path', 'mrelease', 'reaped/ESRCH', 'signal→90% freed', 'signal→exit', 'victim MiB rss+swap', 'pusher→signal'], rows),
      `mrelease: process_mrelease's duration, median of the calls that reaped; ESRCH: the victim had already passed exit_mm and was freeing itself (returns at once).`,
      `signal→90% freed: the victim memcg's usage falls below 10 % (a cgroup-v1 threshold eventfd, seen by this bench's events worker, for both paths);`,
      `signal→exit: the victim's pidfd turns readable (agent: its record's exitMs, from its events worker; C: this bench's events worker); a frozen victim exits only when thawed.`,
      `Agent: PSI event → signal ${formatMs(median(events))} ms median (${events.length} of ${2 * runs} kills decided on an event; psi full ${BENCH_PSI.completeStallMs} ms/1 s); kernel OOM kills in the scope: ${scope.oomKills()}${other.length ? `; process_mrelease errors: ${other.join(', ')}` : ''}.`,
    ].join('\n');
  } finally {
    for (const child of children) await child.kill();
    await agent?.stop();
    await watcher?.stop();
    if (scene && scene.psiGroup !== scope.unified) await scene.psiGroup.remove();
    await freezer?.remove();
    await victimMemory?.remove();
    await scope.dispose();
  }
}
