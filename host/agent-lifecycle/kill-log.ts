import { randomBytes } from 'node:crypto';
import { killLogFilesOldestFirst, parseKillLog, splitMarkedFiles, type KillLogRead } from '../../src/kill-log-view.js';
import { shellQuote } from '../adb/shell-quote.js';
import { CliError } from '../cli-error.js';
import type { AgentSite } from '../commands/agent-client.js';

export interface KillLog extends KillLogRead {
  /** The kill log files read, oldest first. */
  readonly files: string[];
}

/** Exit status of the reading shell when the state directory is not there. */
const NO_STATE_DIR = 3;

/**
 * The agent's kill log at the site: kills.jsonl and its rotations in the state directory, read
 * as root with cat in one shell, oldest first; every line checked with KillRecordSchema, bad ones
 * skipped and counted. Works whether or not the agent runs. Null when the state directory does
 * not exist (the agent never ran with it); any other failure to read is a CliError.
 */
export async function readKillLog(site: AgentSite): Promise<KillLog | null> {
  const marker = `__lmk_file_${randomBytes(8).toString('hex')}__ `;
  const script = [
    `cd ${shellQuote(site.stateDir)} 2>/dev/null || exit ${NO_STATE_DIR}`,
    `for f in kills.jsonl kills.*.jsonl; do [ -f "$f" ] || continue; echo ${shellQuote(marker)}"$f"; cat "$f"; echo; done`,
  ].join('\n');
  const run = await site.device.shell(script, { root: true, timeoutMs: 60_000 });
  if (run.exitCode === NO_STATE_DIR) return null;
  if (run.exitCode !== 0) throw new CliError(`cannot read the kill log in ${site.stateDir} on ${site.where} (exit ${run.exitCode})`);
  const texts = splitMarkedFiles(run.output, marker);
  const files = killLogFilesOldestFirst([...texts.keys()]);
  return { files, ...parseKillLog(files.map((name) => texts.get(name) ?? '')) };
}
