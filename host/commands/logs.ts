import { randomBytes } from 'node:crypto';
import { formatKillLine } from '../../src/event-format.js';
import { killLogFilesOldestFirst, parseKillLog, splitMarkedFiles } from '../../src/kill-log-view.js';
import { shellQuote } from '../adb/shell-quote.js';
import { CliError } from '../cli-error.js';
import { openSite, type ControlOptions } from './agent-client.js';

export interface LogsOptions extends ControlOptions {
  readonly limit?: string;
}

/** Exit status of the reading shell when the state directory is not there. */
const NO_STATE_DIR = 3;

function parseLimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) throw new CliError(`--limit wants a positive whole number, not '${text}'`);
  return n;
}

/**
 * `lmk logs`: the kill log from the agent's state directory (kills.jsonl and its rotations, read as
 * root with cat in one shell), oldest first; every line checked with KillRecordSchema, bad ones
 * skipped and counted. Works whether or not the agent runs. `--limit N`: the newest N.
 */
export async function logsCommand(options: LogsOptions): Promise<void> {
  const limit = parseLimit(options.limit);
  const site = await openSite(options);
  const marker = `__lmk_file_${randomBytes(8).toString('hex')}__ `;
  const dir = shellQuote(site.stateDir);
  const script = [
    `cd ${dir} 2>/dev/null || exit ${NO_STATE_DIR}`,
    `for f in kills.jsonl kills.*.jsonl; do [ -f "$f" ] || continue; echo ${shellQuote(marker)}"$f"; cat "$f"; echo; done`,
  ].join('\n');
  const run = await site.device.shell(script, { root: true, timeoutMs: 60_000 });
  if (run.exitCode === NO_STATE_DIR) throw new CliError(`no kill log on ${site.where}: ${site.stateDir} does not exist (the agent never ran with that state dir)`);
  if (run.exitCode !== 0) throw new CliError(`cannot read the kill log in ${site.stateDir} on ${site.where} (exit ${run.exitCode})`);
  const texts = splitMarkedFiles(run.output, marker);
  const files = killLogFilesOldestFirst([...texts.keys()]);
  const all = parseKillLog(files.map((name) => texts.get(name) ?? ''));
  const records = limit === undefined ? all.records : all.records.slice(-limit);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ stateDir: site.stateDir, files, total: all.records.length, skipped: all.skipped, records }, null, 2)}\n`);
    return;
  }
  if (records.length === 0) process.stdout.write(`no kills logged on ${site.where}\n`);
  for (const record of records) process.stdout.write(`${formatKillLine(record)}\n`);
  if (all.skipped > 0) process.stderr.write(`lmk: ${all.skipped} line${all.skipped === 1 ? '' : 's'} of the kill log skipped: not valid kill records\n`);
}
