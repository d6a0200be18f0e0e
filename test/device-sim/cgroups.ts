import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { cgroupPathOf, parseProcCgroup } from '../../src/procfs/cgroup.js';
import { cgroupV1MountPoint, cgroupV2MountPoint, parseMounts } from '../../src/procfs/mounts.js';

/** The group this process itself is in, in the v1 hierarchy of `controller` or in cgroup2. */
function ownGroupDir(controller: string | undefined): string {
  const mounts = parseMounts(readFileSync('/proc/self/mounts', 'utf8'));
  const mountPoint = controller ? cgroupV1MountPoint(mounts, controller) : cgroupV2MountPoint(mounts);
  if (!mountPoint) throw new Error(`no ${controller ?? 'cgroup2'} hierarchy is mounted`);
  const own = cgroupPathOf(parseProcCgroup(readFileSync('/proc/self/cgroup', 'utf8')), controller);
  if (own === undefined) throw new Error(`this process is in no ${controller ?? 'cgroup2'} group`);
  return own === '/' ? mountPoint : `${mountPoint}${own}`;
}

function pidsIn(dir: string): number[] {
  try {
    return readFileSync(`${dir}/cgroup.procs`, 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The phone's RAM: a cgroup-v1 memory group with the phone's RAM as its limit (and RAM + swap as
 * memsw limit), and a cgroup2 group for its memory PSI. Both are made below this process's own
 * groups, never elsewhere.
 */
export class PhoneCgroups {
  private constructor(
    readonly memcgDir: string,
    readonly cgroup2Dir: string,
  ) {}

  static create(name: string, limits: { ramBytes: number; swapBytes: number }): PhoneCgroups {
    const memcgDir = `${ownGroupDir('memory')}/${name}`;
    const cgroup2Dir = `${ownGroupDir(undefined)}/${name}`;
    mkdirSync(memcgDir);
    const groups = new PhoneCgroups(memcgDir, cgroup2Dir);
    try {
      mkdirSync(cgroup2Dir);
      writeFileSync(`${memcgDir}/memory.limit_in_bytes`, String(limits.ramBytes));
      if (existsSync(`${memcgDir}/memory.memsw.limit_in_bytes`)) {
        writeFileSync(`${memcgDir}/memory.memsw.limit_in_bytes`, String(limits.ramBytes + limits.swapBytes));
      }
      writeFileSync(`${memcgDir}/memory.swappiness`, '100');
    } catch (error) {
      void groups.remove();
      throw error;
    }
    return groups;
  }

  /** A shell prefix that moves the shell into both groups before it execs the real command. */
  joinCommand(): string {
    return `echo $$ > ${this.memcgDir}/cgroup.procs && echo $$ > ${this.cgroup2Dir}/cgroup.procs`;
  }

  /** Every process in the phone's groups (they were all started by the phone). */
  pids(): number[] {
    return [...new Set([...pidsIn(this.memcgDir), ...pidsIn(this.cgroup2Dir)])];
  }

  usageBytes(): number {
    return Number(readFileSync(`${this.memcgDir}/memory.usage_in_bytes`, 'utf8').trim());
  }

  /** SIGKILLs whatever is still in the groups, by pid, then removes both groups. */
  async remove(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const pids = this.pids();
      if (pids.length === 0) break;
      if (attempt >= 200) throw new Error(`processes ${pids.join(',')} do not leave ${this.memcgDir}`);
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await sleep(25);
    }
    for (const dir of [this.memcgDir, this.cgroup2Dir]) {
      for (let attempt = 0; existsSync(dir); attempt++) {
        try {
          rmdirSync(dir);
        } catch (error) {
          if (attempt >= 200) throw new Error(`could not remove ${dir}: ${String(error)}`);
          await sleep(25);
        }
      }
    }
  }
}
