import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { CliError } from '../cli-error.js';
import { localRuntime, type LocalRuntime } from '../runtime/local.js';
import { localAgentSpawn } from '../runtime/local-device.js';
import { readConfigFile } from './reload.js';

export interface AgentCommandOptions {
  readonly config?: string;
  readonly dryRun?: boolean;
  readonly stateDir?: string;
}

/**
 * `lmk-agent run` arguments. In Termux the agent runs as root through su, maybe elsewhere than
 * here: the config path is made absolute, and without a state dir (option or config) it gets the
 * phone's, as /run does not exist on Android.
 */
function runArgs(options: AgentCommandOptions, runtime: LocalRuntime): string[] {
  const args = ['run'];
  const termux = runtime.kind === 'termux';
  if (options.config) args.push('--config', termux ? resolve(options.config) : options.config);
  if (options.dryRun) args.push('--dry-run');
  const configStateDir = termux && options.config ? readConfigFile(options.config)['stateDir'] : undefined;
  const stateDir = options.stateDir ?? (termux && typeof configStateDir !== 'string' ? runtime.defaultStateDir : undefined);
  if (stateDir) args.push('--state-dir', stateDir);
  return args;
}

/**
 * `lmk agent`: runs the agent in the foreground on this machine, exactly as it runs on a device
 * (the same `lmk-agent run` entry), its log on stdout. Ctrl-C stops it cleanly.
 */
export async function agentCommand(options: AgentCommandOptions): Promise<void> {
  const runtime = localRuntime();
  const command = await localAgentSpawn(runtime, runArgs(options, runtime));
  const child = spawn(command.file, command.args, { stdio: 'inherit' });
  // The terminal sends Ctrl-C to the whole foreground group; a SIGTERM sent to lmk alone is passed on.
  const forward = (): void => void child.kill('SIGTERM');
  process.on('SIGTERM', forward);
  process.on('SIGINT', () => undefined);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode) => resolve(exitCode));
  });
  process.off('SIGTERM', forward);
  // The agent already said why on stderr; keep its exit code (2 = bad config).
  if (code !== 0) throw new CliError('', code ?? 1);
}
