import type { KillRecord } from '../../src/kill-record.js';
import { readKillLog as readAgentKillLog } from '../agent-lifecycle/kill-log.js';
import type { AgentSite } from '../commands/agent-client.js';

/**
 * The kill records in the agent's kill log, read as `lmk logs` reads it (oldest first). No state
 * directory yet (the agent never ran there) is no kills.
 */
export async function readKillLog(site: AgentSite): Promise<KillRecord[]> {
  return (await readAgentKillLog(site))?.records ?? [];
}

/** Identifies a kill record across reads of a log that rotates. */
export function killKey(record: KillRecord): string {
  return `${record.time}|${record.pid}`;
}
