/**
 * `npm run bench`: lmk's performance, measured side by side in one run and printed as ratios.
 * Needs root and cgroup-v1 memory + freezer (it allocates inside a limited group of its own).
 */
import { cpus, release } from 'node:os';
import { reapBench } from './reap-bench.js';

const runs = Number(process.env['LMK_BENCH_RUNS'] ?? 3);

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the benchmark needs root (memory cgroups, freezer, process_mrelease)');
  process.stdout.write(`lmk bench: Linux ${release()}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}\n\n`);
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  log('reap: SIGKILL → freed, 1 and 2 GiB victims…');
  process.stdout.write(`${await reapBench(runs, log)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
