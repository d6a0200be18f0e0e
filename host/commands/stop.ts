import { CliError } from '../cli-error.js';
import { stopAgent } from '../agent-lifecycle/stop-agent.js';
import { openSite, type ControlOptions } from './agent-client.js';

/**
 * `lmk stop`: asks the agent to stop; its supervisor then exits too (it does not restart an agent
 * that stopped on request). Waits until both processes are gone, escalating to SIGTERM and then
 * SIGKILL if they do not go (see stopAgent). Nothing running: "no agent running on …", exit 1.
 */
export async function stopCommand(options: ControlOptions): Promise<void> {
  const site = await openSite(options);
  const result = await stopAgent(site);
  if (!result.wasRunning) throw new CliError(`no agent running on ${site.where} (nothing to stop)`);
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
