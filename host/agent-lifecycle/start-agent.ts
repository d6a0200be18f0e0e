import { StartResultSchema, type StartResult } from '../../src/supervisor-protocol.js';
import { shellQuote } from '../adb/shell-quote.js';
import { checkDeployed, lastJson, type AgentSite } from '../commands/agent-client.js';
import type { ShellResult } from '../device/device.js';
import { DEVICE_CONFIG, pushConfig } from './agent-config.js';

/** How long the agent gets to answer after starting, unless told otherwise. */
export const DEFAULT_START_WAIT_MS = 20_000;

/**
 * The config to start with (checked already, see configForSite): a file the agent reads where it
 * runs, or one pushed to a path on the device first.
 */
export type StartConfig = { readonly file: string } | { readonly push: Record<string, unknown>; readonly to: string };

export interface StartAgentOptions {
  /** How long `supervise --detach` waits for the agent to answer (default DEFAULT_START_WAIT_MS). */
  readonly waitMs?: number;
  readonly dryRun?: boolean;
  /** Without one: on a device, the config next to the bundle (DEVICE_CONFIG) if there is one; here, none. */
  readonly config?: StartConfig;
}

export interface StartAttempt {
  /** What `supervise --detach` answered (started, or refused and why); undefined when it printed no answer. */
  readonly result: StartResult | undefined;
  /** Its merged output, for the reason when it did not answer. */
  readonly run: ShellResult;
}

/** `lmk-agent supervise --detach …` at the site as one shell command line. */
async function superviseCommand(site: AgentSite, base: readonly string[], config: StartConfig | undefined): Promise<string> {
  if (config === undefined) {
    return site.local ? site.command(base) : `if [ -f ${shellQuote(DEVICE_CONFIG)} ]; then ${site.command([...base, '--config', DEVICE_CONFIG])}; else ${site.command(base)}; fi`;
  }
  if ('file' in config) return site.command([...base, '--config', config.file]);
  await pushConfig(site, config.push, config.to);
  return site.command([...base, '--config', config.to]);
}

/**
 * Starts the agent at the site under its supervisor (which restarts it if it dies), as root, and
 * waits until it answers: `lmk-agent supervise --detach` with the site's state dir. A device
 * where lmk is not deployed is a CliError saying so.
 */
export async function startAgent(site: AgentSite, options: StartAgentOptions = {}): Promise<StartAttempt> {
  const waitMs = options.waitMs ?? DEFAULT_START_WAIT_MS;
  const base = ['supervise', '--detach', '--wait-ms', String(waitMs), '--state-dir', site.stateDir, ...(options.dryRun ? ['--dry-run'] : [])];
  const command = await superviseCommand(site, base, options.config);
  const run = checkDeployed(site, await site.device.shell(command, { root: true, timeoutMs: waitMs + 60_000 }));
  return { result: lastJson(run.output, StartResultSchema), run };
}
