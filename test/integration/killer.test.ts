import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { readStartTime } from '../../native/process-handle.js';
import { killFirstAlive } from '../../device/killer.js';

function sleeper(): { pid: number; exited: Promise<unknown>; child: ReturnType<typeof spawn> } {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  return { pid: child.pid!, exited: once(child, 'exit'), child };
}

describe('killFirstAlive', () => {
  it('skips a victim that vanished and one whose pid now names another process, and kills the next', async () => {
    const recycled = sleeper();
    const vanished = sleeper();
    const next = sleeper();
    try {
      const vanishedInfo = { pid: vanished.pid, startTime: readStartTime(vanished.pid), name: 'vanished' };
      vanished.child.kill('SIGKILL');
      await vanished.exited;
      // What the scan saw at this pid started at another time: the pid was recycled since.
      const recycledInfo = { pid: recycled.pid, startTime: readStartTime(recycled.pid) - 1, name: 'recycled' };
      const nextInfo = { pid: next.pid, startTime: readStartTime(next.pid), name: 'next' };

      const attempt = killFirstAlive([vanishedInfo, recycledInfo, nextInfo], '/proc', () => 0);
      assert.equal(attempt.signalled?.victim.name, 'next');
      assert.deepEqual(attempt.gone.map((g) => g.victim.name), ['vanished', 'recycled']);
      assert.match(attempt.gone[1]!.why, /another process/);
      attempt.signalled?.handle.close();
      const [, signal] = (await next.exited) as [number | null, string | null];
      assert.equal(signal, 'SIGKILL');
      assert.equal(recycled.child.exitCode, null, 'the process now at the recycled pid was not signalled');
      assert.equal(recycled.child.signalCode, null);
    } finally {
      for (const s of [recycled, next]) s.child.kill('SIGKILL');
    }
  });

  it('returns no victim when every one is gone', () => {
    const attempt = killFirstAlive([{ pid: 2 ** 22 - 3, startTime: 1 }], '/proc', () => 0);
    assert.equal(attempt.signalled, null);
    assert.equal(attempt.gone.length, 1);
  });
});
