import { BandReportSchema, formatBandReport } from '../../src/band-report.js';
import { CliError } from '../cli-error.js';
import { agentError, lastJson, openSite, runAgent, type ControlOptions } from './agent-client.js';

/**
 * `lmk bands`: every process on the device by Android importance band (oom_score_adj), with uid,
 * RSS and name, highest adj (first to be killed) first. Scanned by `lmk-agent bands --json` there,
 * as root; works whether or not the agent runs.
 */
export async function bandsCommand(options: ControlOptions): Promise<void> {
  const site = await openSite(options);
  const run = await runAgent(site, ['bands', '--json']);
  if (run.exitCode !== 0) throw agentError(site, run, 'lmk-agent bands');
  const report = lastJson(run.output, BandReportSchema);
  if (!report) throw new CliError(`lmk-agent bands on ${site.where} printed no valid report`);
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatBandReport(report));
}
