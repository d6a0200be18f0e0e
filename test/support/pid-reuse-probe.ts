/**
 * Run as pid 1 of a fresh pid namespace (unshare --pid --fork --mount-proc): starts a process,
 * opens a handle on it, ends it, then makes the kernel give its pid to a new process by setting
 * ns_last_pid, and reports as JSON what the old handle did.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { ProcessGoneError, ProcessHandle } from '../../native/process-handle.js';

function start(): ChildProcess {
  return spawn('sleep', ['1000'], { stdio: 'ignore' });
}

function outcome(action: () => unknown): string {
  try {
    action();
    return 'acted';
  } catch (error) {
    return error instanceof ProcessGoneError ? 'refused' : `error: ${String(error)}`;
  }
}

const first = start();
const pid = first.pid!;
const handle = ProcessHandle.open(pid);
first.kill('SIGKILL');
await once(first, 'exit');
// Start times have clock-tick resolution: let at least one tick pass.
await new Promise((resolve) => setTimeout(resolve, 50));

let second: ChildProcess | undefined;
for (let attempt = 0; attempt < 20 && second?.pid !== pid; attempt++) {
  if (second) {
    second.kill('SIGKILL');
    await once(second, 'exit');
  }
  writeFileSync('/proc/sys/kernel/ns_last_pid', String(pid - 1));
  second = start();
}
const reused = second?.pid === pid;
const result = {
  pid,
  reused,
  signal0: outcome(() => handle.signal(0)),
  kill: outcome(() => handle.kill()),
  readProcFile: outcome(() => handle.readProcFile('cmdline')),
  openWithOldStartTime: outcome(() => ProcessHandle.open(pid, { expectedStartTime: handle.startTime }).close()),
  newProcessAlive: second ? second.exitCode === null && second.signalCode === null : false,
  openNewWithItsStartTime: outcome(() => {
    const fresh = ProcessHandle.open(pid);
    fresh.close();
  }),
};
handle.close();
second?.kill('SIGKILL');
process.stdout.write(`${JSON.stringify(result)}\n`);
