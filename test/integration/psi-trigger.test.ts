import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { EventsWatcher } from '../../native/events-watcher.js';
import { closePsiTrigger, openPsiTrigger, type PsiTrigger } from '../../native/psi-trigger.js';
import { TestCgroup } from '../support/cgroups.js';
import { TestChild } from '../support/children.js';
import { ZramSwap } from '../support/zram-swap.js';

const MiB = 1024 * 1024;
const skip =
  process.getuid?.() !== 0
    ? 'needs root'
    : !TestCgroup.available('memory') || !TestCgroup.available(undefined)
      ? 'needs cgroup-v1 memory and cgroup2'
      : !ZramSwap.available()
        ? 'needs zram'
        : false;

describe('PSI triggers under real memory pressure', { skip }, () => {
  let watcher: EventsWatcher | undefined;
  const triggers: PsiTrigger[] = [];
  const groups: TestCgroup[] = [];
  let hog: TestChild | undefined;
  let swap: ZramSwap | undefined;

  after(async () => {
    await hog?.kill();
    for (const trigger of triggers) await watcher?.unwatch(trigger.path);
    await watcher?.stop();
    for (const trigger of triggers) closePsiTrigger(trigger);
    for (const group of groups) await group.remove();
    swap?.remove();
  });

  it('fires the system and the cgroup2 trigger, seen by the events worker', async () => {
    swap = ZramSwap.create(1024 * MiB);
    const memory = TestCgroup.create('memory', 'psi');
    const unified = TestCgroup.create(undefined, 'psi');
    groups.push(memory, unified);
    // 96 MiB of RAM for 320 MiB of touched memory: the rest lives in zram and faults back in.
    memory.write('memory.limit_in_bytes', 96 * MiB);
    memory.write('memory.memsw.limit_in_bytes', 768 * MiB);

    watcher = await EventsWatcher.start();
    const spec = { kind: 'some', stallUs: 70_000, windowUs: 1_000_000 } as const;
    const system = openPsiTrigger('/proc/pressure/memory', spec);
    const group = openPsiTrigger(`${unified.dir}/memory.pressure`, spec);
    triggers.push(system, group);
    for (const trigger of triggers) {
      // Where the kernel refuses a 1 s window (no CAP_SYS_RESOURCE) it must be a 2 s one, same share.
      assert.ok(trigger.actual.windowUs === 1_000_000 || trigger.actual.windowUs === 2_000_000);
      assert.equal(trigger.actual.stallUs / trigger.actual.windowUs, 0.07);
      watcher.watchPressure(trigger.path, trigger.fd);
    }

    const seen = new Set<string>();
    const bothFired = watcher.next((event) => {
      if (event.type === 'pressure') seen.add(event.id);
      return seen.size === 2;
    }, 60_000);
    hog = await TestChild.hog(320, 'loop', [memory, unified]).catch((error: unknown) => {
      throw new Error(`could not start the memory hog: ${String(error)}`);
    });
    const event = await bothFired;
    assert.ok(event, `both triggers fired (seen: ${[...seen].join(', ') || 'none'})`);
    assert.equal(memory.read('memory.oom_control').match(/oom_kill (\d+)/)?.[1], '0', 'no OOM kill in the group');
  });
});
