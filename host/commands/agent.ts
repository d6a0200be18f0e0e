import { spawn } from 'node:child_process';
import { CliError } from '../cli-error.js';
import { LOCAL_AGENT_ENTRY } from '../local-agent.js';

export interface AgentCommandOptions {
  readonly config?: string;
  readonly dryRun?: boolean;
  readonly stateDir?: string;
}

/**
 * `lmk agent`: runs the agent in the foreground on this machine, exactly as it runs on a device
 * (the same `lmk-agent run` entry), its log on stdout. Ctrl-C stops it cleanly.
 */
export async function agentCommand(options: AgentCommandOptions): Promise<void> {
  const args = ['run'];
  if (options.config) args.push('--config', options.config);
  if (options.dryRun) args.push('--dry-run');
  if (options.stateDir) args.push('--state-dir', options.stateDir);
  const child = spawn(process.execPath, [LOCAL_AGENT_ENTRY, ...args], { stdio: 'inherit' });
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
