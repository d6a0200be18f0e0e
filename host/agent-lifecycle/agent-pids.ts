import { PidsSchema, type Pids } from '../../src/supervisor-protocol.js';
import { agentError, lastJson, runAgent, type AgentSite } from '../commands/agent-client.js';

/**
 * `lmk-agent pids` at the site: the supervisor's and the agent's pids, each only if that process
 * is alive and is what its pid file says (both null: nothing runs).
 */
export async function agentPids(site: AgentSite): Promise<Pids> {
  const run = await runAgent(site, ['pids', '--state-dir', site.stateDir]);
  const pids = lastJson(run.output, PidsSchema);
  if (!pids) throw agentError(site, run, 'lmk-agent pids');
  return pids;
}
