import { z } from 'zod';

/**
 * The supervisor's files in the agent's state directory and what its commands print: the host
 * runs `lmk-agent supervise --detach`, `lmk-agent pids` and `lmk-agent shutdown` (on a device
 * through adb, as root; or on this machine) and reads their last JSON line with these schemas.
 */

/** The supervisor's pid, one decimal line. */
export const SUPERVISOR_PID_FILE = 'supervisor.pid';
/** The running agent's pid (the supervisor's child), one decimal line; absent between restarts. */
export const AGENT_PID_FILE = 'agent.pid';
/** The agent's stdout and stderr (pino JSON lines) and the supervisor's own lines. */
export const AGENT_LOG_FILE = 'agent.log';
/** Where agent.log goes when it passes its size limit (one older file is kept). */
export const AGENT_LOG_OLD_FILE = 'agent.1.log';

/** `${stateDir}/${name}`. */
export function stateFile(stateDir: string, name: string): string {
  const dir = stateDir.length > 1 ? stateDir.replace(/\/+$/, '') : stateDir;
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

const Pid = z.int().positive();

/** `lmk-agent pids`: the supervisor's and the agent's pids, each only if that process is alive and is what the pid file says. */
export const PidsSchema = z.looseObject({
  stateDir: z.string(),
  supervisorPid: Pid.nullable(),
  agentPid: Pid.nullable(),
});
export type Pids = z.infer<typeof PidsSchema>;

/** Why `supervise --detach` did not leave a running agent. */
export const START_FAILURES = ['config', 'running', 'exited', 'timeout', 'error'] as const;
export type StartFailure = (typeof START_FAILURES)[number];

/** The exit code `supervise --detach` leaves with for each failure. */
export const START_EXIT_CODES: Readonly<Record<StartFailure, number>> = { config: 2, running: 3, exited: 4, timeout: 5, error: 1 };

/** `lmk-agent supervise --detach`: the supervisor started and the agent answers `status`. */
export const StartedSchema = z.looseObject({
  ok: z.literal(true),
  stateDir: z.string(),
  supervisorPid: Pid,
  agentPid: Pid,
  version: z.string(),
  scope: z.string(),
  log: z.string(),
  /** How long it took until the agent answered, ms. */
  waitedMs: z.number().nonnegative(),
});
export type Started = z.infer<typeof StartedSchema>;

/** `lmk-agent supervise --detach` failed: why, with the pids of what already runs and the end of agent.log. */
export const StartRefusedSchema = z.looseObject({
  ok: z.literal(false),
  reason: z.enum(START_FAILURES),
  error: z.string(),
  supervisorPid: Pid.nullable().optional(),
  agentPid: Pid.nullable().optional(),
  logTail: z.array(z.string()).optional(),
});
export type StartRefused = z.infer<typeof StartRefusedSchema>;

export const StartResultSchema = z.discriminatedUnion('ok', [StartedSchema, StartRefusedSchema]);
export type StartResult = z.infer<typeof StartResultSchema>;

/** `lmk-agent shutdown`: what was stopped and how. */
export const ShutdownSchema = z.looseObject({
  ok: z.boolean(),
  stateDir: z.string(),
  /** Something answered or ran: false means nothing was running (stale pid files are removed). */
  wasRunning: z.boolean(),
  /** The agent answered the stop request. */
  stopRequested: z.boolean(),
  supervisorPid: Pid.nullable(),
  agentPid: Pid.nullable(),
  /** The strongest signal it had to send: none when the agent stopped on request. */
  escalation: z.enum(['none', 'SIGTERM', 'SIGKILL']),
  /** Pids still alive at the end (only when ok is false). */
  survivors: z.array(Pid),
  error: z.string().optional(),
});
export type Shutdown = z.infer<typeof ShutdownSchema>;
