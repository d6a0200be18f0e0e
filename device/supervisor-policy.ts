/** The supervisor's decisions, as pure functions (unit-tested). */

/**
 * What the supervisor does after the agent exited. `exit 0` means the agent was asked to stop
 * (a `stop` request, or SIGTERM/SIGINT, which it handles as a clean stop); `exit 2` means it
 * refused its config, which a restart cannot fix. Anything else (a crash, a SIGKILL from the
 * kernel's OOM killer or from someone) is restarted after a growing delay.
 */
export type AfterExit = { readonly action: 'exit'; readonly code: number; readonly why: string } | { readonly action: 'restart'; readonly why: string };

export function afterAgentExit(code: number | null, signal: string | null, stopping: boolean): AfterExit {
  const how = signal !== null ? `killed by ${signal}` : `exit ${code ?? '?'}`;
  if (stopping) return { action: 'exit', code: 0, why: `agent ${how} while the supervisor was stopping` };
  if (signal === null && code === 0) return { action: 'exit', code: 0, why: 'agent stopped on request (exit 0)' };
  if (signal === null && code === 2) return { action: 'exit', code: 2, why: 'agent refused its config (exit 2): a restart cannot help' };
  return { action: 'restart', why: `agent ${how}` };
}

/** Restart delays: 1 s, doubling up to 30 s; back to 1 s once an agent ran STABLE_RUN_MS. */
export const RESTART_MIN_MS = 1000;
export const RESTART_MAX_MS = 30_000;
export const STABLE_RUN_MS = 60_000;

/** The delay before the next start, given the previous delay (undefined: first restart) and how long the agent ran. */
export function nextRestartDelay(previousMs: number | undefined, ranMs: number): number {
  if (previousMs === undefined || ranMs >= STABLE_RUN_MS) return RESTART_MIN_MS;
  return Math.min(RESTART_MAX_MS, Math.max(RESTART_MIN_MS, previousMs * 2));
}

/** Whether a process's argv is `node ENTRY SUBCOMMAND …`: lmk-agent's `subcommand` from that entry script. */
export function isAgentCommandLine(argv: readonly string[], entry: string, subcommand: 'supervise' | 'run'): boolean {
  const at = argv.indexOf(entry);
  return at >= 1 && argv[at + 1] === subcommand;
}

/** The last `count` lines of a log text, blank lines dropped. */
export function tailLines(text: string, count: number): string[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(-count);
}
