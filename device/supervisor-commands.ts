import { Command, Option } from 'commander';
import { controlSocketPath, DEFAULT_STATE_DIR } from '../src/control-protocol.js';
import type { Pids, Shutdown } from '../src/supervisor-protocol.js';
import { sendRequest } from './control-client.js';
import { ConfigError } from './run.js';
import { agentEntry, isOurs, livePid, pidFilePath, readPidFile, removePidFile, signalIfOurs, type Role } from './supervisor-files.js';
import { AlreadyRunningError, DEFAULT_LOG_MAX_BYTES, supervise, superviseDetached, type SuperviseOptions } from './supervisor.js';

/**
 * `lmk-agent supervise`, `lmk-agent pids` and `lmk-agent shutdown`: starting the agent under a
 * supervisor that restarts it, finding the two processes, and stopping both. Each prints one JSON
 * line (src/supervisor-protocol.ts) for the host, which runs them as root through adb.
 */

function positiveInt(name: string): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} wants a positive whole number, not ${JSON.stringify(text)}`);
    return n;
  };
}

function printLine(message: object): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

interface SuperviseCommandOptions extends SuperviseOptions {
  readonly detach?: boolean;
  readonly waitMs: number;
}

/** `lmk-agent pids`: the live, verified pids of the supervisor and the agent for a state dir. */
export function pids(stateDir: string, entry = agentEntry()): Pids {
  return {
    stateDir,
    supervisorPid: livePid(stateDir, 'supervisor', entry) ?? null,
    agentPid: livePid(stateDir, 'agent', entry) ?? null,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/**
 * Stops the agent and its supervisor: asks the agent (`stop`; it exits 0 and the supervisor
 * follows), and if either is still there after its share of `timeoutMs`, sends SIGTERM, then
 * SIGKILL, each only to a pid verified to still be lmk-agent's. Removes the pid files.
 */
export async function shutdown(stateDir: string, timeoutMs: number, entry = agentEntry()): Promise<Shutdown> {
  const supervisorPid = livePid(stateDir, 'supervisor', entry);
  const firstAgentPid = livePid(stateDir, 'agent', entry);
  let stopRequested = false;
  let answered = false;
  let error: string | undefined;
  try {
    const reply = await sendRequest(controlSocketPath(stateDir), { cmd: 'stop' }, { timeoutMs: Math.min(5000, timeoutMs) });
    answered = true;
    stopRequested = reply.ok;
    if (!reply.ok) error = `the agent refused to stop: ${reply.error}`;
  } catch {
    // no agent answering: the signals below do it
  }
  const wasRunning = answered || supervisorPid !== undefined || firstAgentPid !== undefined;
  // The agent may be restarted (by a supervisor that did not hear of the stop) while we wait: follow agent.pid.
  const agents = new Set<number>(firstAgentPid === undefined ? [] : [firstAgentPid]);
  const alive = (): { role: Role; pid: number }[] => {
    const now = livePid(stateDir, 'agent', entry);
    if (now !== undefined) agents.add(now);
    const list: { role: Role; pid: number }[] = [];
    if (supervisorPid !== undefined && isOurs(supervisorPid, 'supervisor', entry)) list.push({ role: 'supervisor', pid: supervisorPid });
    for (const pid of agents) if (isOurs(pid, 'agent', entry)) list.push({ role: 'agent', pid });
    return list;
  };
  const waitGone = async (ms: number): Promise<boolean> => {
    const until = Date.now() + ms;
    for (;;) {
      if (alive().length === 0) return true;
      if (Date.now() >= until) return false;
      await sleep(100);
    }
  };
  let escalation: Shutdown['escalation'] = 'none';
  let gone = stopRequested ? await waitGone(timeoutMs / 2) : alive().length === 0;
  if (!gone) {
    // The supervisor passes SIGTERM on to the agent and does not restart it; the agent stops cleanly on SIGTERM too.
    escalation = 'SIGTERM';
    for (const { role, pid } of alive()) signalIfOurs(pid, role, 'SIGTERM', entry);
    gone = await waitGone(timeoutMs / 3);
  }
  if (!gone) {
    escalation = 'SIGKILL';
    // Supervisor first, so it cannot start another agent.
    for (const { role, pid } of alive().sort((a, b) => (a.role === b.role ? 0 : a.role === 'supervisor' ? -1 : 1))) signalIfOurs(pid, role, 'SIGKILL', entry);
    gone = await waitGone(Math.max(1000, timeoutMs / 6));
  }
  const survivors = alive().map(({ pid }) => pid);
  for (const role of ['supervisor', 'agent'] as const) {
    const path = pidFilePath(stateDir, role);
    const pid = readPidFile(path);
    if (pid === undefined || !isOurs(pid, role, entry)) removePidFile(path, pid);
  }
  return {
    ok: survivors.length === 0 && error === undefined,
    stateDir,
    wasRunning,
    stopRequested,
    supervisorPid: supervisorPid ?? null,
    agentPid: firstAgentPid ?? null,
    escalation,
    survivors,
    ...(survivors.length > 0 ? { error: `still running after SIGKILL: pid ${survivors.join(', ')}` } : error !== undefined ? { error } : {}),
  };
}

/** Adds `supervise`, `pids` and `shutdown` to the agent's command line. */
export function registerSupervisorCommands(program: Command): void {
  program
    .command('supervise')
    .description('run the agent under a supervisor that restarts it when it dies (1 s doubling to 30 s), as root')
    .option('--config <file>', "config file (JSON); defaults are stock lmkd's")
    .option('--dry-run', 'decide and log victims, kill nothing')
    .option('--state-dir <dir>', 'where the control socket, kill log, pid files and agent.log live (overrides the config)')
    .option('--detach', 'start in the background (own session, output to agent.log), wait until the agent answers, print one JSON line')
    .addOption(new Option('--wait-ms <ms>', 'with --detach: how long to wait for the agent to answer').default(20_000).argParser(positiveInt('--wait-ms')))
    .addOption(new Option('--log-max-bytes <n>', 'rotate agent.log to agent.1.log past this size').default(DEFAULT_LOG_MAX_BYTES).argParser(positiveInt('--log-max-bytes')))
    .action(async (options: SuperviseCommandOptions) => {
      if (options.detach) {
        const { result, code } = await superviseDetached(options, options.waitMs);
        printLine(result);
        if (!result.ok) process.stderr.write(`lmk-agent: ${result.error}\n`);
        process.exitCode = code;
        return;
      }
      try {
        process.exitCode = await supervise(options);
      } catch (error) {
        if (error instanceof ConfigError) {
          process.stderr.write(`lmk-agent: ${error.message}\n`);
          process.exitCode = 2;
        } else if (error instanceof AlreadyRunningError) {
          process.stderr.write(`lmk-agent: ${error.message}\n`);
          process.exitCode = 3;
        } else {
          throw error;
        }
      }
    });

  program
    .command('pids')
    .description('print the pids of the running supervisor and agent (verified against /proc) as one JSON line')
    .addOption(new Option('--state-dir <dir>', 'the agent state directory').default(DEFAULT_STATE_DIR))
    .option('--json', 'print JSON (the default; accepted so every command takes it)')
    .action((options: { stateDir: string }) => printLine(pids(options.stateDir)));

  program
    .command('shutdown')
    .description('stop the agent and its supervisor: a stop request, then SIGTERM, then SIGKILL (verified pids only); one JSON line')
    .addOption(new Option('--state-dir <dir>', 'the agent state directory').default(DEFAULT_STATE_DIR))
    .addOption(new Option('--timeout <ms>', 'how long it may take in all').default(20_000).argParser(positiveInt('--timeout')))
    .option('--json', 'print JSON (the default; accepted so every command takes it)')
    .action(async (options: { stateDir: string; timeout: number }) => {
      const result = await shutdown(options.stateDir, options.timeout);
      printLine(result);
      if (!result.ok) {
        process.stderr.write(`lmk-agent: ${result.error ?? 'could not stop everything'}\n`);
        process.exitCode = 1;
      }
    });
}
