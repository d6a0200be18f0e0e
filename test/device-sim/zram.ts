import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const CONTROL = '/sys/class/zram-control';

/**
 * The phone's swap: a zram device of its own, hot-added (existing zram devices are never
 * touched), formatted and swapped on. remove() swaps it off, resets and hot-removes it.
 */
export class PhoneZram {
  private removed = false;

  private constructor(readonly id: number) {}

  static available(): boolean {
    return existsSync(`${CONTROL}/hot_add`);
  }

  static create(sizeBytes: number): PhoneZram {
    const id = Number(readFileSync(`${CONTROL}/hot_add`, 'utf8').trim());
    const zram = new PhoneZram(id);
    try {
      writeFileSync(`/sys/block/zram${id}/disksize`, String(sizeBytes));
      execFileSync('mkswap', [zram.device], { stdio: 'ignore' });
      execFileSync('swapon', [zram.device], { stdio: ['ignore', 'ignore', 'pipe'] });
      return zram;
    } catch (error) {
      zram.remove();
      throw error;
    }
  }

  get device(): string {
    return `/dev/zram${this.id}`;
  }

  remove(): void {
    if (this.removed) return;
    const swaps = readFileSync('/proc/swaps', 'utf8').split('\n').map((line) => line.split(/\s+/)[0]);
    if (swaps.includes(this.device)) execFileSync('swapoff', [this.device]);
    if (existsSync(`/sys/block/zram${this.id}`)) {
      writeFileSync(`/sys/block/zram${this.id}/reset`, '1');
      writeFileSync(`${CONTROL}/hot_remove`, String(this.id));
    }
    this.removed = true;
  }
}
