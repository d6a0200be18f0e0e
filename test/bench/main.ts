/**
 * `npm run bench`: lmk's performance, measured side by side in one run and printed as ratios.
 * Needs root and cgroup-v1 memory + freezer (it allocates inside limited groups of its own).
 *
 * LMK_BENCH_ONLY=name,name runs a subset (names below); LMK_BENCH_RUNS sets the repetitions
 * (default 3; each suite says what one repetition is). Tables go to stdout, progress to stderr.
 * A suite that fails is reported and the others still run; the exit code is then 1.
 */
import { cpus, loadavg, release } from 'node:os';
import { MemoryScope } from '../support/memory-scope.js';
import { agentReapBench } from './agent-reap-bench.js';
import { idleBench } from './idle-bench.js';
import { pinnedReapBench } from './pinned-reap-bench.js';
import { psiLatencyBench } from './psi-latency-bench.js';
import { reapBench } from './reap-bench.js';
import { victimChoiceBench } from './victim-choice-bench.js';

const runs = Number(process.env['LMK_BENCH_RUNS'] ?? 3);

type Log = (line: string) => void;

interface Suite {
  readonly name: string;
  readonly title: string;
  /** Why it cannot run here, or false. */
  readonly skip: () => string | false;
  readonly run: (log: Log) => Promise<string>;
}

const SUITES: readonly Suite[] = [
  {
    name: 'reap',
    title: 'SIGKILL → freed, 1 and 2 GiB victims, native/ vs C (runs each)',
    skip: () => false,
    run: (log) => reapBench(runs, log),
  },
  {
    name: 'agent-reap',
    title: 'the agent\'s kill path on 1 GiB victims vs C (runs each)',
    skip: () => MemoryScope.skipReason(),
    run: (log) => agentReapBench(runs, log),
  },
  {
    name: 'psi',
    title: `PSI event → SIGKILL latency of the agent (${15 * runs} s: 15 s per run)`,
    skip: () => MemoryScope.skipReason(),
    run: (log) => psiLatencyBench(15 * runs, log),
  },
  {
    name: 'victims',
    title: 'victim choice over 1,000 processes and the /proc scan',
    skip: () => (process.getuid?.() === 0 ? false : 'needs root'),
    run: (log) => victimChoiceBench(runs, log),
  },
  {
    name: 'idle',
    title: 'the agent at rest: RSS and wakeups (start-up, 15–45 s, then 10 s idle)',
    skip: () => MemoryScope.skipReason(false),
    run: (log) => idleBench(10, log),
  },
  {
    name: 'pinning',
    title: 'reaper on the foreground\'s CPU vs another (2 × runs reaps each)',
    skip: () => false,
    run: (log) => pinnedReapBench(runs, log),
  },
];

function selected(): readonly Suite[] {
  const only = process.env['LMK_BENCH_ONLY'];
  if (!only) return SUITES;
  const names = only.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !SUITES.some((suite) => suite.name === name));
  if (unknown.length) throw new Error(`LMK_BENCH_ONLY: unknown suite ${unknown.join(', ')} (suites: ${SUITES.map((s) => s.name).join(', ')})`);
  return SUITES.filter((suite) => names.includes(suite.name));
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the benchmark needs root (memory cgroups, freezer, process_mrelease)');
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`LMK_BENCH_RUNS must be a positive integer, not ${process.env['LMK_BENCH_RUNS']}`);
  const suites = selected();
  // The load average says whether anything else was running: this bench measures, it cannot isolate.
  process.stdout.write(`lmk bench: Linux ${release()}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, load average ${loadavg()[0]!.toFixed(2)} at start\n\n`);
  const log: Log = (line) => void process.stderr.write(`${line}\n`);
  let failed = 0;
  for (const suite of suites) {
    const why = suite.skip();
    if (why) {
      process.stdout.write(`[${suite.name}] skipped: ${why}\n\n`);
      continue;
    }
    log(`${suite.name}: ${suite.title}…`);
    const started = Date.now();
    try {
      const text = await suite.run(log);
      process.stdout.write(`[${suite.name}] ${text}\n\n`);
    } catch (error) {
      failed++;
      process.stdout.write(`[${suite.name}] FAILED: ${error instanceof Error ? error.message : String(error)}\n\n`);
    }
    log(`${suite.name}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  if (failed > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
