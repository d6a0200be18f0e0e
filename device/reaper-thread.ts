/**
 * A reaper thread: pinned to the configured CPUs at the configured nice, it calls
 * process_mrelease synchronously on its own OS thread, so the work runs (and is charged) where
 * the user chose, and the agent's main loop never blocks on it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SyscallError } from '../native/syscall-error.js';
import { getcpu, gettid, processMrelease, schedGetaffinity, schedSetaffinity, setThreadName, setThreadNice } from '../native/syscalls.js';
import type { ReaperReply, ReaperSetup, ReapRequest } from './reaper-protocol.js';

const setup = workerData as ReaperSetup;
const notes: string[] = [];
const attempt = (what: string, action: () => void): void => {
  try {
    action();
  } catch (error) {
    notes.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
};
attempt('sched_setaffinity', () => schedSetaffinity(0, setup.cpus));
attempt('setpriority', () => setThreadNice(0, setup.nice));
attempt('prctl', () => setThreadName(`lmk-reaper${setup.index}`));

function reply(message: ReaperReply): void {
  parentPort!.postMessage(message);
}

reply({ type: 'ready', tid: gettid(), affinity: schedGetaffinity(0), notes });

parentPort!.on('message', (request: ReapRequest) => {
  const start = performance.now();
  let errno: string | null = null;
  try {
    processMrelease(request.pidfd);
  } catch (error) {
    errno = error instanceof SyscallError ? error.code : String(error);
  }
  const ms = performance.now() - start;
  let cpu: number | null = null;
  try {
    cpu = getcpu();
  } catch {
    // unknown CPU is reported as null
  }
  reply({ type: 'reaped', id: request.id, ms, errno, cpu });
});
