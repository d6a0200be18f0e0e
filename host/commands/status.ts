import { StatusSchema, describeIssue } from '../../src/control-protocol.js';
import { BandCountsSchema, formatBandCounts } from '../../src/band-report.js';
import { formatStatus } from '../../src/status-format.js';
import { CliError } from '../cli-error.js';
import { clientRequest, openSite, type ControlOptions } from './agent-client.js';

/** `lmk status`: the running agent's counters, recent kills, PSI, reaper placement and processes per band. */
export async function statusCommand(options: ControlOptions): Promise<void> {
  const site = await openSite(options);
  const reply = await clientRequest(site, ['status']);
  if (!reply.ok) throw new CliError(`the agent on ${site.where} could not report its status: ${reply.error}`);
  const { id: _id, ok: _ok, ...payload } = reply;
  const parsed = StatusSchema.safeParse(payload);
  if (!parsed.success) throw new CliError(`the agent's status is malformed: ${describeIssue(parsed.error)}`);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(payload, null, 2)}\n`);
    return;
  }
  const bands = BandCountsSchema.safeParse(parsed.data['bands']);
  const extra = bands.success ? `\nprocesses by band now: ${formatBandCounts(bands.data)}\n` : '';
  process.stdout.write(formatStatus(parsed.data) + extra);
}
