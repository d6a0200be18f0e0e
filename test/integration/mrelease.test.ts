import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { vmRssKb } from '../support/proc-status.js';
import { after, before, describe, it } from 'node:test';
import { ProcessHandle } from '../../native/process-handle.js';
import { isErrno } from '../../native/syscall-error.js';
import { TestCgroup } from '../support/cgroups.js';
import { TestChild, waitFor } from '../support/children.js';

const MiB = 1024 * 1024;
const skip = process.getuid?.() !== 0 ? 'needs root' : !TestCgroup.available('memory') ? 'needs cgroup-v1 memory' : false;

/** Charged to the group now; page tables and per-cpu charge caches leave a few MiB behind. */
function usageMiB(group: TestCgroup): number {
  return group.readNumber('memory.usage_in_bytes') / MiB;
}


describe('process_mrelease on a real child', { skip }, () => {
  const groups: TestCgroup[] = [];
  const children: TestChild[] = [];
  const handles: ProcessHandle[] = [];

  after(async () => {
    for (const handle of handles) handle.close();
    for (const child of children) await child.kill();
    for (const group of groups.reverse()) await group.remove();
  });

  it('frees a killed 256 MiB child at once (ESRCH when the child won the race)', async () => {
    const memory = TestCgroup.create('memory', 'mrelease');
    groups.push(memory);
    memory.write('memory.limit_in_bytes', 512 * MiB);
    const child = await TestChild.hog(256, 'pause', [memory]);
    children.push(child);
    assert.ok(usageMiB(memory) >= 256, `usage ${usageMiB(memory)} MiB before the kill`);

    const handle = ProcessHandle.open(child.pid);
    handles.push(handle);
    handle.kill();
    let reaped = true;
    try {
      handle.mrelease();
    } catch (error) {
      if (!isErrno(error, 'ESRCH')) throw error;
      reaped = false; // the child passed exit_mm on its own: it is freeing itself
    }
    if (reaped) {
      // The call returns after the address space is torn down: no waiting needed.
      assert.ok(usageMiB(memory) < 32, `usage ${usageMiB(memory).toFixed(1)} MiB right after process_mrelease`);
      assert.ok((vmRssKb(child.pid) ?? 0) < 1024, 'VmRSS gone');
    } else {
      assert.ok(await waitFor(() => usageMiB(memory) < 32, 10_000), 'the child freed its memory');
    }
    await child.waitExit();
  });
});

describe('process_mrelease on a frozen child', { skip: skip || (!TestCgroup.available('freezer') && 'needs cgroup-v1 freezer') }, () => {
  let memory: TestCgroup;
  let freezer: TestCgroup;
  let child: TestChild | undefined;
  let handle: ProcessHandle | undefined;

  before(() => {
    memory = TestCgroup.create('memory', 'frozen');
    freezer = TestCgroup.create('freezer', 'frozen');
    memory.write('memory.limit_in_bytes', 512 * MiB);
  });

  after(async () => {
    handle?.close();
    if (freezer) freezer.write('freezer.state', 'THAWED');
    await child?.kill();
    await freezer?.remove();
    await memory?.remove();
  });

  it('keeps its memory after SIGKILL alone, and loses it to process_mrelease while still frozen', async () => {
    child = await TestChild.hog(256, 'pause', [memory, freezer]);
    freezer.write('freezer.state', 'FROZEN');
    assert.ok(await waitFor(() => freezer.read('freezer.state').trim() === 'FROZEN', 5_000), 'child froze');

    handle = ProcessHandle.open(child.pid);
    handle.kill();
    // A frozen task cannot run its exit path: give it ample time to prove nothing is freed.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.ok(usageMiB(memory) >= 250, `frozen victim kept its memory: ${usageMiB(memory).toFixed(1)} MiB`);
    assert.ok(handle.isAlive(), 'frozen victim has not exited');

    handle.mrelease(); // no ESRCH possible: the victim cannot reach exit_mm while frozen
    assert.ok(usageMiB(memory) < 32, `usage ${usageMiB(memory).toFixed(1)} MiB after process_mrelease`);
    assert.equal(freezer.read('freezer.state').trim(), 'FROZEN', 'still frozen while its memory was freed');
    assert.ok(handle.isAlive(), 'victim still has not exited');

    freezer.write('freezer.state', 'THAWED');
    await child.waitExit();
  });
});
