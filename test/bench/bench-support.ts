/** Small helpers the benchmark suites share, on top of test/support. */
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { EventsWatcher } from '../../native/events-watcher.js';
import { closeFd, eventfdCreate } from '../../native/syscalls.js';
import { TestCgroup } from '../support/cgroups.js';

export const MiB = 1024 * 1024;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A cgroup-v1 group below another test group (TestCgroup.create nests only below the bench's
 * own group), named lmk-<purpose>; a real TestCgroup, so remove() retries like the others.
 */
export function childCgroup(parent: TestCgroup, purpose: string): TestCgroup {
  const dir = `${parent.dir}/lmk-${purpose}`;
  mkdirSync(dir);
  const Ctor = TestCgroup as unknown as new (dir: string, controller: string | undefined) => TestCgroup;
  return new Ctor(dir, parent.controller);
}

/**
 * A cgroup-v1 memory threshold notification: an eventfd the kernel signals when the group's
 * usage crosses `bytes` (cgroup.event_control), watched by an EventsWatcher (a worker thread
 * blocked in poll), so the crossing is timestamped on the monotonic clock without spinning.
 * Register it while usage is above `bytes`: the next crossing is then the way down.
 */
export class UsageThreshold {
  private constructor(
    private readonly eventFd: number,
    private readonly usageFd: number,
    private readonly watcher: EventsWatcher,
    private readonly id: string,
    /** The monotonic ms (process.hrtime) of the crossing, or null if none within the timeout. */
    readonly crossed: Promise<number | null>,
  ) {}

  static register(group: TestCgroup, bytes: number, watcher: EventsWatcher, id: string, timeoutMs: number): UsageThreshold {
    const eventFd = eventfdCreate();
    const usageFd = openSync(`${group.dir}/memory.usage_in_bytes`, 'r');
    try {
      writeFileSync(`${group.dir}/cgroup.event_control`, `${eventFd} ${usageFd} ${Math.round(bytes)}`);
    } catch (error) {
      closeSync(usageFd);
      closeFd(eventFd);
      throw error;
    }
    const crossed = watcher.next((event) => event.id === id && event.type === 'exited', timeoutMs).then((event) => event?.atMs ?? null);
    watcher.watchExit(id, eventFd);
    return new UsageThreshold(eventFd, usageFd, watcher, id, crossed);
  }

  async close(): Promise<void> {
    await this.watcher.unwatch(this.id); // the worker must stop polling the fd before it closes
    closeSync(this.usageFd);
    closeFd(this.eventFd);
  }
}
