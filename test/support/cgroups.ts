import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { cgroupPathOf, parseProcCgroup } from '../../src/procfs/cgroup.js';
import { cgroupV1MountPoint, cgroupV2MountPoint, parseMounts } from '../../src/procfs/mounts.js';

let counter = 0;

function ownGroupDir(controller?: string): string {
  const mounts = parseMounts(readFileSync('/proc/self/mounts', 'utf8'));
  const mountPoint = controller ? cgroupV1MountPoint(mounts, controller) : cgroupV2MountPoint(mounts);
  if (!mountPoint) throw new Error(`no ${controller ?? 'cgroup2'} hierarchy mounted`);
  const own = cgroupPathOf(parseProcCgroup(readFileSync('/proc/self/cgroup', 'utf8')), controller);
  if (own === undefined) throw new Error(`this process is in no ${controller ?? 'cgroup2'} group`);
  return own === '/' ? mountPoint : `${mountPoint}${own}`;
}

/**
 * A cgroup made for one test, always below the group this test process itself runs in (never at
 * a hierarchy's root), named lmk-<purpose>-<pid>-<n>. remove() must run when the test ends.
 */
export class TestCgroup {
  private constructor(
    readonly dir: string,
    readonly controller: string | undefined,
  ) {}

  /** controller: a cgroup-v1 controller ("memory", "freezer"), or undefined for cgroup2. */
  static create(controller: string | undefined, purpose: string): TestCgroup {
    const dir = `${ownGroupDir(controller)}/lmk-${purpose}-${process.pid}-${counter++}`;
    mkdirSync(dir);
    return new TestCgroup(dir, controller);
  }

  static available(controller: string | undefined): boolean {
    try {
      return existsSync(ownGroupDir(controller));
    } catch {
      return false;
    }
  }

  write(file: string, value: string | number): void {
    writeFileSync(`${this.dir}/${file}`, String(value));
  }

  read(file: string): string {
    return readFileSync(`${this.dir}/${file}`, 'utf8');
  }

  readNumber(file: string): number {
    return Number(this.read(file).trim());
  }

  /** A shell prefix that moves the shell into this group before it execs the real command. */
  joinCommand(): string {
    return `echo $$ > ${this.dir}/cgroup.procs`;
  }

  pids(): number[] {
    return this.read('cgroup.procs').split('\n').filter(Boolean).map(Number);
  }

  /** rmdir, retrying while the last tasks finish exiting. Does not kill anything. */
  async remove(): Promise<void> {
    if (!existsSync(this.dir)) return;
    if (this.controller === 'freezer') this.write('freezer.state', 'THAWED');
    for (let attempt = 0; ; attempt++) {
      try {
        rmdirSync(this.dir);
        return;
      } catch (error) {
        if (attempt >= 100) throw new Error(`could not remove ${this.dir}: ${String(error)} (tasks: ${this.pids().join(',')})`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }
}
