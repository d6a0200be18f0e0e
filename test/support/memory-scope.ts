import { TestCgroup } from './cgroups.js';
import { TestChild, type HogMode } from './children.js';
import { ZramSwap } from './zram-swap.js';

const MiB = 1024 * 1024;

/**
 * A small "phone" for agent tests: a memory-limited cgroup-v1 group with zram swap behind it and
 * a cgroup2 group for its PSI. Children started through it join both. dispose() kills every
 * child it started (by pid), then removes the groups and the swap, pass or fail.
 */
export class MemoryScope {
  readonly children: TestChild[] = [];

  private constructor(
    readonly memory: TestCgroup,
    readonly unified: TestCgroup,
    readonly swap: ZramSwap | undefined,
  ) {}

  static skipReason(needsSwap = true): string | false {
    if (process.getuid?.() !== 0) return 'needs root';
    if (!TestCgroup.available('memory') || !TestCgroup.available(undefined)) return 'needs cgroup-v1 memory and cgroup2';
    if (needsSwap && !ZramSwap.available()) return 'needs zram';
    return false;
  }

  static create(purpose: string, options: { ramMib: number; swapMib: number }): MemoryScope {
    const swap = options.swapMib > 0 ? ZramSwap.create(options.swapMib * MiB) : undefined;
    let memory: TestCgroup | undefined;
    try {
      memory = TestCgroup.create('memory', purpose);
      memory.write('memory.limit_in_bytes', options.ramMib * MiB);
      memory.write('memory.memsw.limit_in_bytes', (options.ramMib + options.swapMib) * MiB);
      return new MemoryScope(memory, TestCgroup.create(undefined, purpose), swap);
    } catch (error) {
      void memory?.remove();
      swap?.remove();
      throw error;
    }
  }

  /** The agent's config for this scope. */
  get scopeConfig(): object {
    return { kind: 'cgroup', cgroup2: this.unified.dir, memcg: this.memory.dir };
  }

  oomKills(): number {
    return Number(/oom_kill (\d+)/.exec(this.memory.read('memory.oom_control'))?.[1] ?? 0);
  }

  async hog(mib: number, mode: HogMode, options?: { oomScoreAdj?: number; name?: string }, extraGroups: readonly TestCgroup[] = []): Promise<TestChild> {
    const child = await TestChild.hog(mib, mode, [this.memory, this.unified, ...extraGroups], options);
    this.children.push(child);
    return child;
  }

  async dispose(): Promise<void> {
    for (const child of this.children) await child.kill();
    await this.unified.remove();
    await this.memory.remove();
    this.swap?.remove();
  }
}
