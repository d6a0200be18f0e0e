import { CliError } from '../cli-error.js';
import { localClientRequest, requireLocal, type ControlOptions } from './agent-client.js';

/** `lmk stop`: asks the running agent to stop. */
export async function stopCommand(options: ControlOptions): Promise<void> {
  requireLocal('stop', options);
  const reply = await localClientRequest(['stop'], options.stateDir);
  if (!reply.ok) throw new CliError(`the agent refused to stop: ${reply.error}`);
  process.stdout.write(options.json ? `${JSON.stringify(reply)}\n` : 'agent stopping\n');
}
