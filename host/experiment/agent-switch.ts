import { parseConfig } from '../../src/config.js';
import { StatusSchema } from '../../src/control-protocol.js';
import type { Pids, Started } from '../../src/supervisor-protocol.js';
import { shellQuote } from '../adb/shell-quote.js';
import { configForSite, DEVICE_CONFIG } from '../agent-lifecycle/agent-config.js';
import { agentPids } from '../agent-lifecycle/agent-pids.js';
import { startAgent } from '../agent-lifecycle/start-agent.js';
import { stopAgent } from '../agent-lifecycle/stop-agent.js';
import { CliError } from '../cli-error.js';
import { agentError, clientRequest, type AgentSite } from '../commands/agent-client.js';
import { DEVICE_INSTALL_DIR } from '../device/device.js';

/**
 * Starting and stopping the agent between arms with what `lmk start` and `lmk stop` use
 * (host/agent-lifecycle/): the deployed `lmk-agent supervise --detach` with a config checked here
 * first (its stateDir set to the site's, so `lmk status`/`logs` find it), and `lmk-agent
 * shutdown`. Arm configs go to a
 * file of their own next to the bundle, so the config `lmk deploy`/`lmk start` left there is
 * never touched.
 */

/** Where an arm's config is pushed on the device. */
export const EXPERIMENT_CONFIG = `${DEVICE_INSTALL_DIR}/experiment-config.json`;

/** Where the config of an agent that ran before is pushed when it was not the deployed one. */
export const RESTORE_CONFIG = `${DEVICE_INSTALL_DIR}/experiment-restore.json`;

/** What ran before the experiment: restored after it. */
export interface AgentBefore {
  readonly pids: Pids;
  /** The running agent's effective config (from its status), null if it did not answer. */
  readonly config: Record<string, unknown> | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class AgentSwitch {
  constructor(readonly site: AgentSite) {}

  /** The agent running now (with its config, to restore it later), or null. */
  async before(): Promise<AgentBefore | null> {
    const pids = await agentPids(this.site);
    if (pids.agentPid === null && pids.supervisorPid === null) return null;
    let config: Record<string, unknown> | null = null;
    try {
      const reply = await clientRequest(this.site, ['status']);
      const status = reply.ok ? StatusSchema.safeParse(reply) : undefined;
      if (status?.success && isRecord(status.data.config)) config = status.data.config;
    } catch {
      // A supervisor between restarts: nothing answers now; restored without a config of ours.
    }
    return { pids, config };
  }

  /** Checks an arm's config here (the bad field's path, exit 2) with the site's state dir. */
  effectiveConfig(config: Record<string, unknown>): Record<string, unknown> {
    return configForSite(config, this.site.stateDir, 'bad agent config');
  }

  /** Starts the agent with `config` (pushed to `path`) under its supervisor and waits until it answers. */
  async start(config: Record<string, unknown>, path = EXPERIMENT_CONFIG): Promise<Started> {
    const { result, run } = await startAgent(this.site, { config: { push: this.effectiveConfig(config), to: path } });
    if (!result) throw agentError(this.site, run, 'lmk-agent supervise');
    if (!result.ok) {
      const tail = result.logTail && result.logTail.length > 0 ? ` (agent.log ends: ${result.logTail.slice(-3).join(' | ')})` : '';
      throw new CliError(`the agent did not start on ${this.site.where}: ${result.error}${tail}`, result.reason === 'config' ? 2 : 1);
    }
    return result;
  }

  /** Starts the agent as `lmk start` without --config does: with the config next to the bundle if there is one. */
  async startDefault(): Promise<Started> {
    const { result } = await startAgent(this.site);
    if (!result?.ok) throw new CliError(`could not restart the agent on ${this.site.where}: ${result && !result.ok ? result.error : 'no answer'}`);
    return result;
  }

  /** Whether the config next to the bundle (lmk deploy's, lmk start's) is, in effect, `config`. */
  private async deployedConfigIs(config: Record<string, unknown>): Promise<boolean> {
    const run = await this.site.device.shell(`cat ${shellQuote(DEVICE_CONFIG)}`, { root: true, timeoutMs: 30_000 });
    if (run.exitCode !== 0) return false;
    let deployed: unknown;
    try {
      deployed = JSON.parse(run.output);
    } catch {
      return false;
    }
    if (!isRecord(deployed)) return false;
    const a = parseConfig({ ...deployed, stateDir: this.site.stateDir });
    const b = parseConfig({ ...config, stateDir: this.site.stateDir });
    return a.ok && b.ok && JSON.stringify(a.config) === JSON.stringify(b.config);
  }

  /** Stops whatever agent runs; false when none did. */
  async stop(): Promise<boolean> {
    return (await stopAgent(this.site)).wasRunning;
  }

  /** Leaves the device as the experiment found it: the agent that ran before runs again (same config), or none. */
  async restore(before: AgentBefore | null): Promise<string> {
    await this.stop();
    if (before === null) return 'no agent was running before: none is running now';
    if (before.config === null || (await this.deployedConfigIs(before.config))) {
      const started = await this.startDefault();
      return `the agent that ran before runs again (pid ${started.agentPid}), with the config next to the bundle as before`;
    }
    // It ran with a config that is not the deployed one (another file, --dry-run): the same config, from a file of ours.
    const started = await this.start(before.config, RESTORE_CONFIG);
    return `the agent that ran before runs again with its config (pid ${started.agentPid}, from ${RESTORE_CONFIG})`;
  }
}
