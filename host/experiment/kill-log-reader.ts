import { randomBytes } from 'node:crypto';
import { killLogFilesOldestFirst, parseKillLog, splitMarkedFiles } from '../../src/kill-log-view.js';
import type { KillRecord } from '../../src/kill-record.js';
import { shellQuote } from '../adb/shell-quote.js';
import type { AgentSite } from '../commands/agent-client.js';

/**
 * The agent's kill log read as `lmk logs` reads it: kills.jsonl and its rotations in the state
 * directory, in one root shell, oldest first, every line checked with the kill record schema.
 * No state directory yet (the agent never ran there) is no kills.
 */
export async function readKillLog(site: AgentSite): Promise<KillRecord[]> {
  const marker = `__lmk_file_${randomBytes(8).toString('hex')}__ `;
  const script = [
    `cd ${shellQuote(site.stateDir)} 2>/dev/null || exit 0`,
    `for f in kills.jsonl kills.*.jsonl; do [ -f "$f" ] || continue; echo ${shellQuote(marker)}"$f"; cat "$f"; echo; done`,
  ].join('\n');
  const run = await site.device.shell(script, { root: true, timeoutMs: 60_000 });
  if (run.exitCode !== 0) throw new Error(`cannot read the kill log in ${site.stateDir} on ${site.where} (exit ${run.exitCode})`);
  const texts = splitMarkedFiles(run.output, marker);
  const files = killLogFilesOldestFirst([...texts.keys()]);
  return parseKillLog(files.map((name) => texts.get(name) ?? '')).records;
}

/** Identifies a kill record across reads of a log that rotates. */
export function killKey(record: KillRecord): string {
  return `${record.time}|${record.pid}`;
}
