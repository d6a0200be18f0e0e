import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const CONTROL = '/sys/class/zram-control';

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * A zram swap device of the test's own (hot-added, so no existing zram device is touched),
 * like a phone's. remove() swaps it off and hot-removes it; it must run when the test ends.
 * Synchronous, so it also works from an exit handler.
 */
export class ZramSwap {
  #removed = false;

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
      execFileSync('swapon', [swap.device], { stdio: ['ignore', 'ignore', 'pipe'] });
      return swap;
    } catch (error) {
      swap.remove();
      throw error;
    }
  }

  get device(): string {
    return `/dev/zram${this.id}`;
  }

  #swappedOn(): boolean {
    return readFileSync('/proc/swaps', 'utf8').split('\n').some((line) => line.split(/\s+/)[0] === this.device);
  }

  remove(): void {
    if (this.#removed) return;
    // Processes that just died may still be tearing down memory that sits in this swap, and
    // swapoff then fails (ENOMEM) bringing it back: let them finish, and try again.
    for (let attempt = 0; this.#swappedOn(); attempt++) {
      try {
        execFileSync('swapoff', [this.device], { stdio: ['ignore', 'ignore', 'pipe'] });
      } catch (error) {
        if (attempt >= 50) throw error;
        sleepMs(200);
      }
    }
    if (existsSync(`/sys/block/zram${this.id}`)) {
      writeFileSync(`/sys/block/zram${this.id}/reset`, '1');
      writeFileSync(`${CONTROL}/hot_remove`, String(this.id));
    }
    this.#removed = true;
  }
}
