import { readFileSync } from 'node:fs';

/** /proc/<pid>/status VmRSS in kB; undefined once the process (or its mm) is gone. */
export function vmRssKb(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
