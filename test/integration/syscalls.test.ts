import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, it } from 'node:test';
import { EventsWatcher } from '../../native/events-watcher.js';
import { ProcessGoneError, ProcessHandle } from '../../native/process-handle.js';
import { isErrno, SyscallError } from '../../native/syscall-error.js';
import { closeFd, getpid, gettid, pidfdOpen, processMrelease, schedGetaffinity } from '../../native/syscalls.js';

describe('syscall wrappers', () => {
  it('name the errno of a failed call', () => {
    assert.throws(() => pidfdOpen(-5), (error) => isErrno(error, 'EINVAL'));
    assert.throws(() => pidfdOpen(2 ** 22 + 7), (error) => isErrno(error, 'ESRCH'));
    assert.throws(() => processMrelease(-1), (error) => error instanceof SyscallError && error.code === 'EBADF' && /process_mrelease/.test(error.message));
  });

  it('refuse process_mrelease on a process that is not dying (EINVAL), and do nothing to it', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const handle = ProcessHandle.open(child.pid!);
    try {
      assert.throws(() => handle.mrelease(), (error) => isErrno(error, 'EINVAL'));
      assert.ok(handle.isAlive());
    } finally {
      handle.close();
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  });

  it('report a handle on an exited process as gone, and closed fds as EBADF', async () => {
    const child = spawn('true', { stdio: 'ignore' });
    const handle = ProcessHandle.open(child.pid!);
    await once(child, 'exit');
    assert.equal(handle.isAlive(), false);
    assert.throws(() => handle.kill(), ProcessGoneError);
    const fd = handle.fd;
    handle.close();
    assert.throws(() => closeFd(fd), (error) => isErrno(error, 'EBADF'));
  });

  it('pin, renice and name one worker thread, leaving the main thread alone', async () => {
    const before = schedGetaffinity(0);
    const worker = new Worker(fileURLToPath(new URL('../support/pinned-worker.js', import.meta.url)), {
      workerData: { cpus: [before.at(-1)!], nice: 5, name: 'lmk-test-pin' },
    });
    const [report] = (await once(worker, 'message')) as [{ tid: number; affinity: number[]; comm: string; nice: number; lastCpu: number }];
    await worker.terminate();
    assert.notEqual(report.tid, gettid(), 'the worker is another OS thread');
    assert.notEqual(report.tid, getpid());
    assert.deepEqual(report.affinity, [before.at(-1)]);
    assert.equal(report.lastCpu, before.at(-1));
    assert.equal(report.comm, 'lmk-test-pin');
    assert.equal(report.nice, 5);
    assert.deepEqual(schedGetaffinity(0), before, 'main thread affinity unchanged');
  });

  it('mlockall locks the process memory, and munlockall undoes it', { skip: process.getuid?.() !== 0 ? 'needs root' : false }, () => {
    const syscalls = fileURLToPath(new URL('../../native/syscalls.js', import.meta.url));
    // Unlock before exit: V8 aborts when it cannot madvise() locked pages away (see mlockall).
    const script = `import(${JSON.stringify(syscalls)}).then((s) => {
      s.mlockall(s.MCL_CURRENT | s.MCL_ONFAULT);
      const locked = require('fs').readFileSync('/proc/self/status', 'utf8');
      s.munlockall();
      process.stdout.write(locked + '\\n--\\n' + require('fs').readFileSync('/proc/self/status', 'utf8'));
    })`;
    const [whileLocked, afterUnlock] = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).split('\n--\n');
    const vmLck = (status: string | undefined): number => Number(/^VmLck:\s+(\d+) kB/m.exec(status ?? '')?.[1]);
    assert.ok(vmLck(whileLocked) > 1024, `VmLck ${vmLck(whileLocked)} kB while locked`);
    assert.equal(vmLck(afterUnlock), 0);
  });
});

describe('events worker', () => {
  it('runs poll() on its own thread and reports a watched pidfd when its process exits', async () => {
    const watcher = await EventsWatcher.start();
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const childExit = once(child, 'exit');
    const handle = ProcessHandle.open(child.pid!);
    try {
      assert.notEqual(watcher.tid, gettid());
      watcher.watchExit('victim', handle.fd);
      const exited = watcher.next((event) => event.type === 'exited' && event.id === 'victim', 10_000);
      handle.kill();
      const event = await exited;
      assert.equal(event?.type, 'exited');
      assert.equal(handle.isAlive(), false);
    } finally {
      handle.close();
      await watcher.stop();
      await childExit;
    }
  });

  it('stops watching an fd on unwatch, so the caller may close it', async () => {
    const watcher = await EventsWatcher.start();
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const childExit = once(child, 'exit');
    const fd = pidfdOpen(child.pid!);
    try {
      watcher.watchExit('a', fd);
      await watcher.unwatch('a');
      const late = watcher.next((event) => event.id === 'a', 300);
      child.kill('SIGKILL');
      assert.equal(await late, undefined, 'no event for an unwatched fd');
    } finally {
      closeFd(fd);
      await watcher.stop();
      await childExit;
    }
  });
});
