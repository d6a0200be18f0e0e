import { readFileSync } from 'node:fs';

/** The pid a process has in its innermost PID namespace, from the NSpid line of its status. */
function innermostPid(hostPid: number): number | undefined {
  try {
    const line = readFileSync(`/proc/${hostPid}/status`, 'utf8')
      .split('\n')
      .find((text) => text.startsWith('NSpid:'));
    const fields = line?.split(/\s+/).slice(1).filter(Boolean);
    return fields && fields.length > 0 ? Number(fields[fields.length - 1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Maps a pid as the phone sees it to this machine's pid, among the phone's processes. */
export function hostPidOf(phonePid: number, phoneHostPids: readonly number[]): number | undefined {
  return phoneHostPids.find((hostPid) => innermostPid(hostPid) === phonePid);
}
