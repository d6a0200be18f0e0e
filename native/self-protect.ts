import { readFileSync, writeFileSync } from 'node:fs';
import { fileBackedCode, parseMaps } from '../src/procfs/maps.js';
import { mlock2, setThreadName } from './syscalls.js';

export interface SelfProtection {
  readonly oomScoreAdj: number | null;
  readonly lockedCodeKb: number;
  /** What could not be done, one line each, for the start-up log. */
  readonly notes: readonly string[];
}

/**
 * Makes the agent the last thing the kernel would kill and keeps its code resident. lmkd uses
 * mlockall(); in Node that is impossible (V8 aborts when it cannot madvise() locked heap pages
 * away), so only the file-backed executable mappings are locked, which is what a thrashing
 * agent would otherwise refault first.
 */
export function protectSelf(procRoot = '/proc', threadName = 'lmk-agent'): SelfProtection {
  const notes: string[] = [];
  let oomScoreAdj: number | null = null;
  try {
    writeFileSync(`${procRoot}/self/oom_score_adj`, '-1000');
    oomScoreAdj = -1000;
  } catch (error) {
    notes.push(`oom_score_adj -1000 refused: ${(error as Error).message}`);
  }
  let lockedBytes = 0n;
  try {
    for (const mapping of fileBackedCode(parseMaps(readFileSync(`${procRoot}/self/maps`, 'utf8')))) {
      try {
        mlock2(mapping.start, Number(mapping.end - mapping.start));
        lockedBytes += mapping.end - mapping.start;
      } catch (error) {
        notes.push(`mlock of ${mapping.pathname} refused: ${(error as Error).message}`);
        break;
      }
    }
  } catch (error) {
    notes.push(`could not read own mappings: ${(error as Error).message}`);
  }
  try {
    setThreadName(threadName);
  } catch (error) {
    notes.push(`thread name refused: ${(error as Error).message}`);
  }
  return { oomScoreAdj, lockedCodeKb: Number(lockedBytes / 1024n), notes };
}
