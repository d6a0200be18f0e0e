import { Worker } from 'node:worker_threads';
import type { ReaperReply, ReapResult } from './reaper-protocol.js';

interface Reaper {
  readonly worker: Worker;
  readonly tid: number;
  busy: ((result: ReapResult) => void) | undefined;
}

export interface ReaperPoolInfo {
  readonly cpus: readonly number[];
  readonly nice: number;
  readonly threads: readonly { tid: number; affinity: readonly number[] }[];
  /** What a thread could not set up (e.g. nice refused), for the start-up log. */
  readonly notes: readonly string[];
}

/**
 * A fixed set of reaper threads. tryReap() hands a dying victim's pidfd to an idle thread, or
 * returns null when all are busy: the caller then leaves the victim to free itself rather than
 * block the main loop (as lmkd does).
 */
export class ReaperPool {
  #nextId = 1;

  private constructor(
    private readonly reapers: Reaper[],
    readonly info: ReaperPoolInfo,
  ) {}

  static async start(options: { cpus: readonly number[]; threads: number; nice: number }): Promise<ReaperPool> {
    const notes: string[] = [];
    const reapers = await Promise.all(
      Array.from({ length: options.threads }, async (_, index) => {
        const worker = new Worker(new URL('./reaper-thread.js', import.meta.url), {
          workerData: { index, cpus: options.cpus, nice: options.nice },
        });
        const ready = await new Promise<Extract<ReaperReply, { type: 'ready' }>>((resolve, reject) => {
          const onMessage = (message: ReaperReply): void => {
            if (message.type === 'ready') {
              worker.off('error', reject);
              resolve(message);
            }
          };
          worker.once('message', onMessage);
          worker.once('error', reject);
        });
        notes.push(...ready.notes.map((note) => `reaper ${index}: ${note}`));
        const reaper: Reaper = { worker, tid: ready.tid, busy: undefined };
        worker.on('message', (message: ReaperReply) => {
          if (message.type !== 'reaped') return;
          const done = reaper.busy;
          reaper.busy = undefined;
          done?.(message);
        });
        return { reaper, affinity: ready.affinity };
      }),
    );
    return new ReaperPool(
      reapers.map((r) => r.reaper),
      { cpus: options.cpus, nice: options.nice, threads: reapers.map((r) => ({ tid: r.reaper.tid, affinity: r.affinity })), notes },
    );
  }

  get idle(): boolean {
    return this.reapers.every((reaper) => reaper.busy === undefined);
  }

  /** The pidfd must stay open until the returned promise settles. */
  tryReap(pidfd: number): Promise<ReapResult> | null {
    const reaper = this.reapers.find((candidate) => candidate.busy === undefined);
    if (!reaper) return null;
    const id = this.#nextId++;
    return new Promise((resolve) => {
      reaper.busy = resolve;
      reaper.worker.postMessage({ id, pidfd });
    });
  }

  async stop(): Promise<void> {
    await Promise.all(this.reapers.map((reaper) => reaper.worker.terminate()));
  }
}
