import { ShutdownSchema, type Shutdown } from '../../src/supervisor-protocol.js';
import { CliError } from '../cli-error.js';
import { agentError, lastJson, runAgent, type AgentSite } from '../commands/agent-client.js';

/** How long the agent and its supervisor get to go, in all (stop request, then SIGTERM, then SIGKILL). */
const SHUTDOWN_TIMEOUT_MS = 20_000;

/**
 * Stops the agent at the site and its supervisor (`lmk-agent shutdown`): asks the agent to stop,
 * then escalates to SIGTERM and SIGKILL, each sent only while /proc/<pid>/cmdline shows the pid is
 * still lmk-agent's; the pid files are removed. Nothing running is `wasRunning: false`; a
 * shutdown that did not answer, or left a running agent or supervisor alive, is a CliError.
 */
export async function stopAgent(site: AgentSite): Promise<Shutdown> {
  const run = await runAgent(site, ['shutdown', '--state-dir', site.stateDir, '--timeout', String(SHUTDOWN_TIMEOUT_MS)], { timeoutMs: SHUTDOWN_TIMEOUT_MS + 30_000 });
  const result = lastJson(run.output, ShutdownSchema);
  if (!result) throw agentError(site, run, 'lmk-agent shutdown');
  if (result.wasRunning && !result.ok) throw new CliError(`could not stop the agent on ${site.where}: ${result.error ?? 'unknown reason'}`);
  return result;
}
