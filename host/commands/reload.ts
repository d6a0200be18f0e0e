import { resolve } from 'node:path';
import { CliError } from '../cli-error.js';
import { localClientRequest, requireLocal, type ControlOptions } from './agent-client.js';

/** `lmk reload FILE`: gives the running agent a new config; an invalid one is refused. */
export async function reloadCommand(file: string, options: ControlOptions): Promise<void> {
  requireLocal('reload', options);
  const reply = await localClientRequest(['reload', resolve(file)], options.stateDir);
  if (!reply.ok) throw new CliError(`the agent refused the config (it keeps the old one): ${reply.error}`);
  process.stdout.write(options.json ? `${JSON.stringify(reply)}\n` : 'config reloaded\n');
}
