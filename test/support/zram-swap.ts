import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const CONTROL = '/sys/class/zram-control';

/**
 * A zram swap device of the test's own (hot-added, so no existing zram device is touched),
 * like a phone's. remove() swaps it off and hot-removes it; it must run when the test ends.
 */
export class ZramSwap {
  private constructor(readonly id: number) {}

  static available(): boolean {
    return existsSync(`${CONTROL}/hot_add`);
  }

  static create(sizeBytes: number): ZramSwap {
    const id = Number(readFileSync(`${CONTROL}/hot_add`, 'utf8').trim());
    const swap = new ZramSwap(id);
    try {
      writeFileSync(`/sys/block/zram${id}/disksize`, String(sizeBytes));
      execFileSync('mkswap', [swap.device], { stdio: 'ignore' });
      execFileSync('swapon', [swap.device]);
      return swap;
    } catch (error) {
      swap.remove();
      throw error;
    }
  }

  get device(): string {
    return `/dev/zram${this.id}`;
  }

  remove(): void {
    if (readFileSync('/proc/swaps', 'utf8').includes(this.device)) execFileSync('swapoff', [this.device]);
    if (existsSync(`/sys/block/zram${this.id}`)) {
      writeFileSync(`/sys/block/zram${this.id}/reset`, '1');
      writeFileSync(`${CONTROL}/hot_remove`, String(this.id));
    }
  }
}
