import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseConfig } from '../../src/config.js';
import { PidsSchema, StartResultSchema, type Started } from '../../src/supervisor-protocol.js';
import { shellQuote } from '../adb/shell-quote.js';
import { CliError } from '../cli-error.js';
import { DEVICE_INSTALL_DIR } from '../device/device.js';
import { localRuntime } from '../runtime/local.js';
import { agentError, checkDeployed, lastJson, openSite, runAgent, type AgentSite, type ControlOptions } from './agent-client.js';
import { readConfigFile } from './reload.js';

export interface StartOptions extends ControlOptions {
  readonly config?: string;
  readonly dryRun?: boolean;
  /** Seconds to wait for the agent to answer. */
  readonly wait?: string;
}

/** Where `lmk start` puts the config on a device, next to the bundle (where lmk deploy puts one too). */
export const DEVICE_CONFIG = `${DEVICE_INSTALL_DIR}/config.json`;

function waitMs(text: string | undefined): number {
  if (text === undefined) return 20_000;
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
  const run = await runAgent(site, ['pids', '--state-dir', site.stateDir]);
  const pids = lastJson(run.output, PidsSchema);
  if (!pids) throw agentError(site, run, 'lmk-agent pids');
  if (pids.supervisorPid !== null || pids.agentPid !== null) {
    throw new CliError(`the agent already runs on ${site.where} (${describeRunning(pids.supervisorPid, pids.agentPid)}); lmk stop first`);
  }
}

/**
 * The config to start with, checked here (exit 2 with the bad field's path): FILE with stateDir
 * set to the site's state dir, so `lmk status` and the rest find the agent where they look.
 */
function effectiveConfig(file: string, stateDir: string): Record<string, unknown> {
  const json = readConfigFile(file);
  if (typeof json['stateDir'] === 'string' && json['stateDir'] !== stateDir) {
    process.stderr.write(`lmk: note: ${file} says stateDir ${json['stateDir']}; using ${stateDir} (choose it with --state-dir)\n`);
  }
  const config = { ...json, stateDir };
  const checked = parseConfig(config);
  if (!checked.ok) throw new CliError(`${file}: ${checked.error}`, 2);
  return config;
}

/** Pushes the config to DEVICE_CONFIG through a private temporary file. */
async function pushConfig(site: AgentSite, config: Record<string, unknown>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lmk-start-'));
  try {
    const file = join(dir, 'config.json');
    writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
    await site.device.push(file, DEVICE_CONFIG, 0o644);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
  const base = ['supervise', '--detach', '--wait-ms', String(wait), '--state-dir', site.stateDir, ...(options.dryRun ? ['--dry-run'] : [])];
  let command: string;
  if (options.config) {
    const config = effectiveConfig(options.config, site.stateDir);
    if (site.local) {
      command = site.command([...base, '--config', resolve(options.config)]);
    } else {
      await pushConfig(site, config);
      command = site.command([...base, '--config', DEVICE_CONFIG]);
    }
  } else {
    command = site.local ? site.command(base) : `if [ -f ${shellQuote(DEVICE_CONFIG)} ]; then ${site.command([...base, '--config', DEVICE_CONFIG])}; else ${site.command(base)}; fi`;
  }
  const run = checkDeployed(site, await site.device.shell(command, { root: true, timeoutMs: wait + 60_000 }));
  const result = lastJson(run.output, StartResultSchema);
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
