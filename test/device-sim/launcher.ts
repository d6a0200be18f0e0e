import { performance } from 'node:perf_hooks';
import { assignAdjs } from './adj.js';
import { AppProcess, type AppSpawner } from './app-process.js';
import type { AppSpec } from './apps.js';

export type LaunchState = 'COLD' | 'WARM';

export interface LaunchResult {
  readonly packageName: string;
  readonly activity: string;
  readonly state: LaunchState;
  readonly pid: number;
  /** From the request until the app drew its first frame (ms). */
  readonly totalTimeMs: number;
}

export interface RunningApp {
  readonly packageName: string;
  readonly pid: number;
  readonly uid: number;
  readonly adj: number | undefined;
  readonly front: boolean;
}

/**
 * The phone's ActivityManager, reduced to what a low-memory killer sees: which app is in front,
 * the LRU of the others and the oom_score_adj each gets. Cold starts spawn the app and wait for
 * it to touch its memory; warm starts bring a live process back and wait for it to swap back in.
 */
export class Launcher {
  private readonly running = new Map<string, AppProcess>();
  /** Running apps, most recently in front first. */
  private lru: AppProcess[] = [];
  private front: string | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private stopping = false;

  constructor(
    readonly apps: readonly AppSpec[],
    private readonly spawn: AppSpawner,
  ) {}

  find(packageName: string): AppSpec | undefined {
    return this.apps.find((app) => app.packageName === packageName);
  }

  /** Brings an app to the front, starting it if its process is gone. */
  open(packageName: string): Promise<LaunchResult> {
    return this.serialize(() => this.doOpen(packageName));
  }

  /** Kills the app's process (am force-stop). Returns whether one was running. */
  forceStop(packageName: string): Promise<boolean> {
    return this.serialize(async () => {
      const process = this.running.get(packageName);
      if (!process) return false;
      await process.kill();
      return true;
    });
  }

  /** Kills the app's process only if it is not in front (am kill). */
  killBackground(packageName: string): Promise<boolean> {
    return this.serialize(async () => {
      const process = this.running.get(packageName);
      if (!process || this.front === packageName) return false;
      await process.kill();
      return true;
    });
  }

  processes(): RunningApp[] {
    return this.lru.map((process) => ({
      packageName: process.app.packageName,
      pid: process.pid,
      uid: process.app.uid,
      adj: process.adj,
      front: process.app.packageName === this.front,
    }));
  }

  /** Kills every app process (by pid) and refuses further launches. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    await this.queue.catch(() => undefined);
    await Promise.all([...this.running.values()].map((process) => process.kill()));
  }

  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task, task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async doOpen(packageName: string): Promise<LaunchResult> {
    if (this.stopping) throw new Error('the phone is shutting down');
    const app = this.find(packageName);
    if (!app) throw new Error(`${packageName} is not installed`);
    const started = performance.now();
    let process = this.running.get(packageName);
    let state: LaunchState;
    let drawn: Promise<void>;
    if (process?.alive) {
      state = 'WARM';
      drawn = process.nextDrawn();
    } else {
      state = 'COLD';
      process = AppProcess.start(app, this.spawn);
      drawn = process.nextDrawn();
      this.track(process);
    }
    const previous = this.front === packageName ? undefined : this.running.get(this.front ?? '');
    this.lru = [process, ...this.lru.filter((other) => other !== process)];
    this.front = packageName;
    this.updateAdjs();
    previous?.toBack();
    if (state === 'WARM') process.toFront();
    await drawn;
    return { packageName, activity: app.activity, state, pid: process.pid, totalTimeMs: Math.max(1, Math.round(performance.now() - started)) };
  }

  private track(process: AppProcess): void {
    this.running.set(process.app.packageName, process);
    process.onExit(() => {
      if (this.running.get(process.app.packageName) === process) this.running.delete(process.app.packageName);
      this.lru = this.lru.filter((other) => other !== process);
      if (this.front === process.app.packageName) this.front = undefined;
      this.updateAdjs();
    });
  }

  private updateAdjs(): void {
    const adjs = assignAdjs(
      this.lru.map((process) => process.app),
      this.front,
    );
    for (const process of this.lru) {
      const adj = adjs.get(process.app.packageName);
      if (adj !== undefined) process.setAdj(adj);
    }
  }
}
