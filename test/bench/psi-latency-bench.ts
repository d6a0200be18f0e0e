/**
 * PSI event → SIGKILL latency of the real agent (`lmk-agent run` as a child, cgroup scope on a
 * MemoryScope, reaper on all CPUs): hogs at adj 900–999 grow until the agent kills them, and
 * are replaced at once, so memory pressure comes back again and again.
 *
 * Every time is the agent's own, on the monotonic clock (process.hrtime), from its log lines:
 * timing.eventAtMs = when its events worker returned from poll() with POLLPRI on the PSI trigger
 * fd; timing.decisionAtMs = when the main thread started the decision (before sampling memory);
 * timing.signalAtMs = right after pidfd_send_signal(SIGKILL) returned; killMs = signal − decision.
 */
import { AgentProcess } from '../support/agent-process.js';
import type { TestChild } from '../support/children.js';
import { MemoryScope } from '../support/memory-scope.js';
import { BENCH_PSI } from './agent-reap-bench.js';
import { sleep } from './bench-support.js';
import { formatMs, median, quantile, table } from './stats.js';

const RAM_MIB = 384;
/**
 * Ample zram (same-filled hog pages cost it almost nothing): swap never runs low, so kills come
 * from PSI "full" events (NOT_RESPONDING) rather than from polls finding swap low. With 512 MiB
 * most kills here are LOW_MEM_AND_SWAP on a poll; the "all kills" row covers both kinds.
 */
const SWAP_MIB = 2048;
const GROWERS = 2;
/** Each grower adds 2 MiB every 20 ms (≈ 100 MiB/s) up to 2 GiB, i.e. until it is killed. */
const GROW = { grow: { stepMib: 2, intervalMs: 20 } } as const;

interface KillLine {
  readonly pid: number;
  readonly reason: string;
  readonly killMs: number;
  readonly timing: { trigger: 'some' | 'full' | 'poll'; eventAtMs: number | null; decisionAtMs: number; signalAtMs: number };
}

export async function psiLatencyBench(seconds: number, log: (line: string) => void): Promise<string> {
  const scope = MemoryScope.create('bench-psi', { ramMib: RAM_MIB, swapMib: SWAP_MIB });
  let agent: AgentProcess | undefined;
  let started = 0;
  try {
    agent = AgentProcess.start({ scope: scope.scopeConfig, reaper: { cpus: 'all' }, psi: BENCH_PSI });
    await agent.ready();
    const slots: (TestChild | undefined)[] = Array.from({ length: GROWERS });
    const end = Date.now() + seconds * 1000;
    while (Date.now() < end) {
      for (let i = 0; i < slots.length; i++) {
        if (slots[i] && !slots[i]!.exited) continue;
        // adj spread over the cached band, as apps are cached one after another
        slots[i] = await scope.hog(2048, GROW, { oomScoreAdj: 900 + ((started * 37) % 100) });
        started++;
      }
      await sleep(20);
    }
    await agent.stop();
    const kills = agent.events('kill') as unknown as KillLine[];
    const pressure = agent.events('pressure');
    const onEvent = kills.filter((k) => k.timing.eventAtMs !== null);
    const eventToSignal = onEvent.map((k) => k.timing.signalAtMs - k.timing.eventAtMs!);
    const eventToDecision = onEvent.map((k) => k.timing.decisionAtMs - k.timing.eventAtMs!);
    const onEventKillMs = onEvent.map((k) => k.killMs);
    const all = kills.map((k) => k.killMs);
    const polls = kills.filter((k) => k.timing.trigger === 'poll').map((k) => k.killMs);
    const row = (name: string, samples: number[]): string[] => [name, String(samples.length), formatMs(median(samples)), formatMs(quantile(samples, 0.99)), formatMs(samples.length ? Math.max(...samples) : null)];
    const reasons = new Map<string, number>();
    for (const k of kills) reasons.set(`${k.timing.trigger}/${k.reason}`, (reasons.get(`${k.timing.trigger}/${k.reason}`) ?? 0) + 1);
    log(`  ${kills.length} kills, ${pressure.length} PSI events, ${started} growers`);
    return [
      `PSI event → SIGKILL, lmk-agent run (cgroup scope ${RAM_MIB} MiB + ${SWAP_MIB} MiB zram, reaper cpus all, psi some ${BENCH_PSI.partialStallMs}/full ${BENCH_PSI.completeStallMs} ms per 1 s),`,
      `${GROWERS} hogs at adj 900–999 growing ~100 MiB/s each until killed, replaced at once, for ${seconds} s; ms (p99 = max while n < 100)`,
      table(
        ['', 'n', 'median', 'p99', 'max'],
        [
          row('kills decided on a PSI event: event → signal', eventToSignal),
          row('  of which event → decision (to the main thread, log line)', eventToDecision),
          row('  of which decision → signal (killMs)', onEventKillMs),
          row('kills decided on a poll: decision → signal (killMs)', polls),
          row('all kills: decision → signal (killMs)', all),
        ],
      ),
      `kills by trigger/reason: ${[...reasons].map(([key, n]) => `${key} ${n}`).join(', ')}; PSI events: ${pressure.length}; hogs started: ${started}; kernel OOM kills in the scope: ${scope.oomKills()}`,
    ].join('\n');
  } finally {
    await agent?.stop();
    await scope.dispose();
  }
}
