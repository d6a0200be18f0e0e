import { ShutdownSchema } from '../../src/supervisor-protocol.js';
import { CliError } from '../cli-error.js';
import { agentError, lastJson, openSite, runAgent, type ControlOptions } from './agent-client.js';

/** How long the agent and its supervisor get to go, in all (stop request, then SIGTERM, then SIGKILL). */
const SHUTDOWN_TIMEOUT_MS = 20_000;

/**
 * `lmk stop`: asks the agent to stop; its supervisor then exits too (it does not restart an agent
 * that stopped on request). Waits until both processes are gone, escalating to SIGTERM and then
 * SIGKILL if they do not go, each sent only after /proc/<pid>/cmdline shows the pid is still
 * lmk-agent's; removes the pid files. Nothing running: "no agent running on …", exit 1.
 */
export async function stopCommand(options: ControlOptions): Promise<void> {
  const site = await openSite(options);
  const run = await runAgent(site, ['shutdown', '--state-dir', site.stateDir, '--timeout', String(SHUTDOWN_TIMEOUT_MS)], { timeoutMs: SHUTDOWN_TIMEOUT_MS + 30_000 });
  const result = lastJson(run.output, ShutdownSchema);
  if (!result) throw agentError(site, run, 'lmk-agent shutdown');
  if (!result.wasRunning) throw new CliError(`no agent running on ${site.where} (nothing to stop)`);
  if (!result.ok) throw new CliError(`could not stop the agent on ${site.where}: ${result.error ?? 'unknown reason'}`);
  const pids = {
    ...(result.agentPid !== null && { agentPid: result.agentPid }),
    ...(result.supervisorPid !== null && { supervisorPid: result.supervisorPid }),
    ...(result.escalation !== 'none' && { escalation: result.escalation }),
  };
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ok: true, ...pids })}\n`);
    return;
  }
  const which = [result.agentPid !== null ? `agent pid ${result.agentPid}` : undefined, result.supervisorPid !== null ? `supervisor pid ${result.supervisorPid}` : undefined].filter(Boolean);
  const how = result.escalation === 'none' ? '' : ` (it did not stop on request: ${result.escalation} sent)`;
  process.stdout.write(`agent stopped on ${site.where}${which.length > 0 ? ` (${which.join(', ')})` : ''}${how}\n`);
}
