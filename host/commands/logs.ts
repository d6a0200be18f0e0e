import { formatKillLine } from '../../src/event-format.js';
import { readKillLog } from '../agent-lifecycle/kill-log.js';
import { CliError } from '../cli-error.js';
import { openSite, type ControlOptions } from './agent-client.js';

export interface LogsOptions extends ControlOptions {
  readonly limit?: string;
}

function parseLimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) throw new CliError(`--limit wants a positive whole number, not '${text}'`);
  return n;
}

/**
 * `lmk logs`: the kill log from the agent's state directory (kills.jsonl and its rotations, see
 * readKillLog), oldest first; bad lines skipped and counted. Works whether or not the agent runs.
 * `--limit N`: the newest N.
 */
export async function logsCommand(options: LogsOptions): Promise<void> {
  const limit = parseLimit(options.limit);
  const site = await openSite(options);
  const all = await readKillLog(site);
  if (!all) throw new CliError(`no kill log on ${site.where}: ${site.stateDir} does not exist (the agent never ran with that state dir)`);
  const records = limit === undefined ? all.records : all.records.slice(-limit);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ stateDir: site.stateDir, files: all.files, total: all.records.length, skipped: all.skipped, records }, null, 2)}\n`);
    return;
  }
  if (records.length === 0) process.stdout.write(`no kills logged on ${site.where}\n`);
  for (const record of records) process.stdout.write(`${formatKillLine(record)}\n`);
  if (all.skipped > 0) process.stderr.write(`lmk: ${all.skipped} line${all.skipped === 1 ? '' : 's'} of the kill log skipped: not valid kill records\n`);
}
