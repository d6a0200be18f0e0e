import { StatusSchema, describeIssue } from '../../src/control-protocol.js';
import { formatStatus } from '../../src/status-format.js';
import { CliError } from '../cli-error.js';
import { localClientRequest, requireLocal, type ControlOptions } from './agent-client.js';

/** `lmk status`: the running agent's counters, recent kills, PSI and reaper placement. */
export async function statusCommand(options: ControlOptions): Promise<void> {
  requireLocal('status', options);
  const reply = await localClientRequest(['status'], options.stateDir);
  if (!reply.ok) throw new CliError(`the agent could not report its status: ${reply.error}`);
  const { id: _id, ok: _ok, ...payload } = reply;
  const parsed = StatusSchema.safeParse(payload);
  if (!parsed.success) throw new CliError(`the agent's status is malformed: ${describeIssue(parsed.error)}`);
  process.stdout.write(options.json ? `${JSON.stringify(payload, null, 2)}\n` : formatStatus(parsed.data));
}
