import { resolve } from 'node:path';
import type { Started } from '../../src/supervisor-protocol.js';
import { agentPids } from '../agent-lifecycle/agent-pids.js';
import { configForSite, DEVICE_CONFIG } from '../agent-lifecycle/agent-config.js';
import { DEFAULT_START_WAIT_MS, startAgent, type StartConfig } from '../agent-lifecycle/start-agent.js';
import { CliError } from '../cli-error.js';
import { localRuntime } from '../runtime/local.js';
import { agentError, openSite, type AgentSite, type ControlOptions } from './agent-client.js';
import { readConfigFile } from './reload.js';

export interface StartOptions extends ControlOptions {
  readonly config?: string;
  readonly dryRun?: boolean;
  /** Seconds to wait for the agent to answer. */
  readonly wait?: string;
}

function waitMs(text: string | undefined): number {
  if (text === undefined) return DEFAULT_START_WAIT_MS;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) throw new CliError(`--wait wants a number of seconds from 1 to 600, not '${text}'`);
  return Math.round(seconds * 1000);
}

function describeRunning(supervisorPid: number | null | undefined, agentPid: number | null | undefined): string {
  const parts = [agentPid ? `agent pid ${agentPid}` : 'agent restarting', ...(supervisorPid ? [`supervisor pid ${supervisorPid}`] : [])];
  return parts.join(', ');
}

/** Refuses to start a second agent: the supervisor and agent pids, verified on the site. */
async function refuseIfRunning(site: AgentSite): Promise<void> {
  const pids = await agentPids(site);
  if (pids.supervisorPid !== null || pids.agentPid !== null) {
    throw new CliError(`the agent already runs on ${site.where} (${describeRunning(pids.supervisorPid, pids.agentPid)}); lmk stop first`);
  }
}

/**
 * The config to start with, checked here (exit 2 with the bad field's path): FILE with stateDir
 * set to the site's state dir, so `lmk status` and the rest find the agent where they look. Here
 * the agent reads FILE itself; a device gets it pushed next to the bundle.
 */
function startConfig(site: AgentSite, file: string): StartConfig {
  const json = readConfigFile(file);
  if (typeof json['stateDir'] === 'string' && json['stateDir'] !== site.stateDir) {
    process.stderr.write(`lmk: note: ${file} says stateDir ${json['stateDir']}; using ${site.stateDir} (choose it with --state-dir)\n`);
  }
  const config = configForSite(json, site.stateDir, file);
  return site.local ? { file: resolve(file) } : { push: config, to: DEVICE_CONFIG };
}

function formatStarted(site: AgentSite, started: Started): string {
  return [
    `lmk agent running on ${site.where}: pid ${started.agentPid} (supervisor pid ${started.supervisorPid}), version ${started.version}`,
    `  scope ${started.scope}`,
    `  state ${started.stateDir}, log ${started.log}`,
    '',
  ].join('\n');
}

/**
 * `lmk start`: starts the agent under its supervisor (which restarts it if it dies) and waits until
 * it answers. The config is checked here first; on a device it is pushed next to the bundle
 * (without --config, the one lmk deploy or an earlier start left there, if any, is used).
 */
export async function startCommand(options: StartOptions): Promise<void> {
  const wait = waitMs(options.wait);
  // In Termux the agent gets root through su (host/runtime/local.ts); on Linux lmk must be root.
  if (options.local && localRuntime().root === 'self' && process.getuid?.() !== 0) throw new CliError('lmk start --local needs root (the agent kills processes and owns a root-only socket)');
  // Check the file before touching any device: a bad config is refused with exit 2 whatever the target.
  if (options.config) readConfigFile(options.config);
  const site = await openSite({ ...options, ...(options.local && options.stateDir === undefined && options.config && { stateDir: localStateDir(options.config) }) });
  await refuseIfRunning(site);
  const config = options.config ? startConfig(site, options.config) : undefined;
  const { result, run } = await startAgent(site, { waitMs: wait, dryRun: options.dryRun, config });
  if (!result) throw agentError(site, run, 'lmk-agent supervise');
  if (!result.ok) {
    switch (result.reason) {
      case 'config':
        throw new CliError(`the agent on ${site.where} refused its config: ${result.error.replace(/^config /, '')}`, 2);
      case 'running':
        throw new CliError(`the agent already runs on ${site.where} (${describeRunning(result.supervisorPid, result.agentPid)}); lmk stop first`);
      default: {
        const tail = result.logTail ?? [];
        if (tail.length > 0) process.stderr.write(`lmk: the end of ${site.stateDir}/agent.log on ${site.where}:\n${tail.map((line) => `  ${line}`).join('\n')}\n`);
        throw new CliError(`the agent did not start on ${site.where}: ${result.error}`);
      }
    }
  }
  process.stdout.write(options.json ? `${JSON.stringify({ where: site.where, ...result }, null, 2)}\n` : formatStarted(site, result));
}

/** --local without --state-dir: the state dir the config file names (checked already), else the default. */
function localStateDir(file: string): string | undefined {
  const json = readConfigFile(file);
  return typeof json['stateDir'] === 'string' ? json['stateDir'] : undefined;
}
