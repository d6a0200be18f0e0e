import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { controlSocketPath, StatusSchema } from '../src/control-protocol.js';
import { AGENT_LOG_FILE, AGENT_LOG_OLD_FILE, START_EXIT_CODES, stateFile, type StartResult } from '../src/supervisor-protocol.js';
import { sendRequest } from './control-client.js';
import { ConfigError, loadConfig, type RunOptions } from './run.js';
import { agentEntry, isOurs, livePid, pidFilePath, readPidFile, removePidFile, signalIfOurs, writePidFile } from './supervisor-files.js';
import { RotatingLog } from './supervisor-log.js';
import { afterAgentExit, nextRestartDelay, tailLines } from './supervisor-policy.js';

/**
 * `lmk-agent supervise`: keeps `lmk-agent run` running. It starts the agent as its child, appends
 * the agent's stdout and stderr to <stateDir>/agent.log (rotated at a size limit), and when the
 * agent dies (crash, SIGKILL) starts it again after 1 s, 2 s, 4 s … up to 30 s. It exits when the
 * agent exits 0 (a `stop` request, or SIGTERM/SIGINT to the agent), or when the agent refuses its
 * config (exit 2), or on SIGTERM/SIGINT to itself (passed on to the agent). It keeps its pid in
 * <stateDir>/supervisor.pid and the agent's in <stateDir>/agent.pid while they run.
 *
 * `--detach` starts it in a session of its own (setsid, stdin /dev/null, output to agent.log), so
 * the adb shell that started it can end, then waits until the agent answers `status` and prints
 * one JSON line (src/supervisor-protocol.ts StartResult).
 */

export interface SuperviseOptions extends RunOptions {
  /** agent.log is rotated when the next write would pass this many bytes. */
  readonly logMaxBytes: number;
}

export const DEFAULT_LOG_MAX_BYTES = 1024 * 1024;
const LOG_TAIL_LINES = 20;
/** How long a stopping agent may take before the supervisor sends SIGKILL. */
const AGENT_STOP_GRACE_MS = 10_000;

/** The agent is already running here (possibly without a supervisor). */
export class AlreadyRunningError extends Error {
  override readonly name = 'AlreadyRunningError';
  constructor(
    readonly supervisorPid: number | undefined,
    readonly agentPid: number | undefined,
  ) {
    super(describeRunning(supervisorPid, agentPid));
  }
}

function describeRunning(supervisorPid: number | undefined, agentPid: number | undefined): string {
  const agent = agentPid === undefined ? 'agent restarting' : `agent pid ${agentPid}`;
  if (supervisorPid === undefined) return `an agent not started by lmk start is already running (${agent})`;
  return `already running (${agent}, supervisor pid ${supervisorPid})`;
}

/** The supervisor and agent running for `stateDir`, if any: live pid files, else an agent answering on the socket. */
export async function whatRuns(stateDir: string, entry = agentEntry()): Promise<{ supervisorPid?: number; agentPid?: number } | undefined> {
  const supervisorPid = livePid(stateDir, 'supervisor', entry);
  const agentPid = livePid(stateDir, 'agent', entry);
  if (supervisorPid !== undefined) return { supervisorPid, ...(agentPid !== undefined && { agentPid }) };
  try {
    const reply = await sendRequest(controlSocketPath(stateDir), { cmd: 'status' }, { timeoutMs: 2000 });
    if (reply.ok) {
      const pid = (reply as Record<string, unknown>)['pid'];
      return { agentPid: typeof pid === 'number' ? pid : agentPid };
    }
  } catch {
    // nothing answers
  }
  return agentPid !== undefined ? { agentPid } : undefined;
}

/** The arguments of `lmk-agent run` (and of a detached `supervise`) for these options. */
function agentArgs(options: RunOptions, stateDir: string): string[] {
  return [...(options.config ? ['--config', resolve(options.config)] : []), ...(options.dryRun ? ['--dry-run'] : []), '--state-dir', stateDir];
}

function sleep(ms: number, cancel: { wake?: () => void }): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(done, ms);
    cancel.wake = () => {
      clearTimeout(timer);
      done();
    };
  });
}

/** Takes supervisor.pid, or throws AlreadyRunningError. A stale file (dead or recycled pid) is replaced. */
function claimPidFile(stateDir: string, entry: string): void {
  const path = pidFilePath(stateDir, 'supervisor');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writePidFile(path, process.pid, true);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readPidFile(path);
    if (holder !== undefined && holder !== process.pid && isOurs(holder, 'supervisor', entry)) {
      throw new AlreadyRunningError(holder, livePid(stateDir, 'agent', entry));
    }
    removePidFile(path, holder);
  }
  throw new Error(`cannot take ${path}: another supervisor keeps writing it`);
}

/** Makes the supervisor the last thing to be killed, where the kernel lets root lower its adj. */
function protectSupervisor(): string | undefined {
  try {
    writeFileSync('/proc/self/oom_score_adj', '-1000');
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Runs the supervisor in the foreground until it is told to stop; resolves with its exit code. */
export async function supervise(options: SuperviseOptions): Promise<number> {
  const entry = agentEntry();
  const config = loadConfig(options);
  const stateDir = config.stateDir;
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const log = new RotatingLog(stateFile(stateDir, AGENT_LOG_FILE), stateFile(stateDir, AGENT_LOG_OLD_FILE), options.logMaxBytes);
  const running = await whatRuns(stateDir, entry);
  if (running && running.supervisorPid !== process.pid) throw new AlreadyRunningError(running.supervisorPid, running.agentPid);
  claimPidFile(stateDir, entry);
  const agentPidFile = pidFilePath(stateDir, 'agent');

  let stopping = false;
  let child: ChildProcess | undefined;
  const pause: { wake?: () => void } = {};
  let killTimer: NodeJS.Timeout | undefined;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    log.line('info', { event: 'supervisor', signal }, `${signal}: stopping the agent and the supervisor`);
    pause.wake?.();
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child?.kill('SIGKILL'), AGENT_STOP_GRACE_MS);
    }
  };
  const onTerm = (): void => stop('SIGTERM');
  const onInt = (): void => stop('SIGINT');
  const onHup = (): void => log.line('info', { event: 'supervisor' }, 'SIGHUP ignored');
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  process.on('SIGHUP', onHup);

  const protectionRefused = protectSupervisor();
  log.line('info', { event: 'supervisor', stateDir, ...(protectionRefused && { oomScoreAdj: `refused: ${protectionRefused}` }) }, 'supervisor started');
  let delayMs: number | undefined;
  let exitCode = 0;
  const args = [entry, 'run', ...agentArgs(options, stateDir)];
  try {
    while (!stopping) {
      const startedAt = Date.now();
      const agent = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: '/' });
      child = agent;
      const exited = new Promise<[number | null, NodeJS.Signals | null]>((done) => {
        agent.once('error', (error) => {
          log.line('error', { event: 'supervisor', err: error.message }, 'could not start the agent');
          done([127, null]);
        });
        agent.once('close', (code, signal) => done([code, signal]));
      });
      agent.stdout?.on('data', (chunk: Buffer) => log.write(chunk));
      agent.stderr?.on('data', (chunk: Buffer) => log.write(chunk));
      if (agent.pid !== undefined) {
        writePidFile(agentPidFile, agent.pid);
        log.line('info', { event: 'supervisor', agentPid: agent.pid }, `agent started (pid ${agent.pid})`);
      }
      const [code, signal] = await exited;
      clearTimeout(killTimer);
      if (agent.pid !== undefined) removePidFile(agentPidFile, agent.pid);
      child = undefined;
      const next = afterAgentExit(code, signal, stopping);
      if (next.action === 'exit') {
        log.line(next.code === 0 ? 'info' : 'error', { event: 'supervisor', code, signal }, `${next.why}; supervisor exits`);
        exitCode = next.code;
        break;
      }
      delayMs = nextRestartDelay(delayMs, Date.now() - startedAt);
      log.line('warn', { event: 'supervisor', code, signal, restartInMs: delayMs }, `${next.why}; restarting in ${delayMs / 1000} s`);
      await sleep(delayMs, pause);
    }
  } finally {
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
    process.off('SIGHUP', onHup);
    removePidFile(pidFilePath(stateDir, 'supervisor'), process.pid);
    log.close();
  }
  return exitCode;
}

function logTail(stateDir: string): string[] {
  try {
    return tailLines(readFileSync(stateFile(stateDir, AGENT_LOG_FILE), 'utf8'), LOG_TAIL_LINES);
  } catch {
    return [];
  }
}

function refused(reason: Exclude<StartResult, { ok: true }>['reason'], error: string, extra: Record<string, unknown> = {}): { result: StartResult; code: number } {
  return { result: { ok: false, reason, error, ...extra }, code: START_EXIT_CODES[reason] };
}

/**
 * `supervise --detach`: checks the config and that nothing runs yet, starts the supervisor in a
 * session of its own, and waits up to `waitMs` for the agent to answer `status`. If it does not,
 * the supervisor is stopped again (nothing is left restarting an agent that cannot start).
 */
export async function superviseDetached(options: SuperviseOptions, waitMs: number): Promise<{ result: StartResult; code: number }> {
  const entry = agentEntry();
  let stateDir: string;
  try {
    stateDir = loadConfig(options).stateDir;
  } catch (error) {
    if (error instanceof ConfigError) return refused('config', error.message);
    throw error;
  }
  const running = await whatRuns(stateDir, entry);
  if (running) {
    return refused('running', describeRunning(running.supervisorPid, running.agentPid), {
      supervisorPid: running.supervisorPid ?? null,
      agentPid: running.agentPid ?? null,
    });
  }
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const logPath = stateFile(stateDir, AGENT_LOG_FILE);
  const out = openSync(logPath, 'a', 0o600);
  let child: ChildProcess;
  try {
    const args = [entry, 'supervise', ...agentArgs(options, stateDir), '--log-max-bytes', String(options.logMaxBytes)];
    child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', out, out], cwd: '/' });
  } finally {
    closeSync(out);
  }
  child.unref();
  const ended: { exit?: [number | null, NodeJS.Signals | null] } = {};
  child.once('exit', (code, signal) => (ended.exit = [code, signal]));
  child.once('error', () => (ended.exit = [127, null]));
  const startedAt = Date.now();
  const deadline = startedAt + waitMs;
  const supervisorPid = child.pid;
  while (Date.now() < deadline) {
    if (ended.exit) {
      const [code, signal] = ended.exit;
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      return refused('exited', `the supervisor ${how} before the agent answered`, { logTail: logTail(stateDir) });
    }
    try {
      const reply = await sendRequest(controlSocketPath(stateDir), { cmd: 'status' }, { timeoutMs: Math.max(500, Math.min(3000, deadline - Date.now())) });
      const status = reply.ok ? StatusSchema.safeParse(reply) : undefined;
      if (status?.success && supervisorPid !== undefined) {
        return {
          result: {
            ok: true,
            stateDir,
            supervisorPid,
            agentPid: status.data.pid,
            version: status.data.version,
            scope: status.data.scope,
            log: logPath,
            waitedMs: Date.now() - startedAt,
          },
          code: 0,
        };
      }
    } catch {
      // not up yet
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  // It never answered: stop what we started, so nothing keeps restarting it.
  if (supervisorPid !== undefined && !ended.exit) {
    signalIfOurs(supervisorPid, 'supervisor', 'SIGTERM', entry);
    const until = Date.now() + AGENT_STOP_GRACE_MS + 2000;
    while (!ended.exit && Date.now() < until) await new Promise((done) => setTimeout(done, 100));
    if (!ended.exit) {
      const agentPid = livePid(stateDir, 'agent', entry);
      signalIfOurs(supervisorPid, 'supervisor', 'SIGKILL', entry);
      if (agentPid !== undefined) signalIfOurs(agentPid, 'agent', 'SIGKILL', entry);
    }
  }
  return refused('timeout', `the agent did not answer within ${Math.round(waitMs / 1000)} s (stopped it again)`, { logTail: logTail(stateDir) });
}
