import { isReply, parseServerMessage, type ControlReply } from '../../src/control-protocol.js';
import { CliError } from '../cli-error.js';
import { runLocalAgent, type AgentRun } from '../local-agent.js';
import type { TargetOptions } from '../target.js';

/** Options of the commands that talk to a running agent: the target, and where its socket is. */
export interface ControlOptions extends TargetOptions {
  /** The agent's state directory; its control socket is `${stateDir}/control.sock`. */
  readonly stateDir: string;
}

/** Refuses a device target: only --local works until the adb transport exists. */
export function requireLocal(command: string, target: TargetOptions): void {
  if (!target.local) {
    throw new CliError(`${command} for a device needs the adb transport, which this version does not have yet; use --local`);
  }
}

/** The reason an agent client run failed, from its last stderr line. */
export function agentFailure(stderr: string, code: number | null, signal?: NodeJS.Signals | null): string {
  const last = stderr
    .trim()
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .at(-1);
  if (last) return last.replace(/^lmk-agent: /, '');
  return signal ? `local agent killed by ${signal}` : `local agent exited with code ${code}`;
}

function lastReply(run: AgentRun): ControlReply | undefined {
  const line = run.stdout.trim().split('\n').at(-1);
  if (!line) return undefined;
  const parsed = parseServerMessage(line);
  return parsed.ok && isReply(parsed.message) ? parsed.message : undefined;
}

/**
 * Runs `lmk-agent client <args> --state-dir DIR` on this machine and returns the agent's reply,
 * which may be an error reply. Throws a CliError when there was no reply (no agent, no access).
 */
export async function localClientRequest(args: readonly string[], stateDir: string): Promise<ControlReply> {
  const run = await runLocalAgent(['client', ...args, '--state-dir', stateDir]);
  const reply = lastReply(run);
  if (reply) return reply;
  if (run.code === 0) throw new CliError('local agent printed no reply');
  throw new CliError(agentFailure(run.stderr, run.code));
}
