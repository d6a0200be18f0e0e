import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { AppSpec } from './apps.js';

/** Starts an app's process (app_process64 in the phone's root) with its stdout as a pipe. */
export type AppSpawner = (app: AppSpec) => ChildProcess;

/**
 * One running app process. It prints "drawn" when it finished starting or coming back to the
 * front; SIGUSR1 brings it to the front, SIGUSR2 sends it to the back.
 */
export class AppProcess {
  private drawnWaiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  private exitWaiters: Array<() => void> = [];
  adj: number | undefined;
  alive = true;

  private constructor(
    readonly app: AppSpec,
    private readonly child: ChildProcess,
    readonly pid: number,
  ) {
    let partial = '';
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line === 'drawn') this.drawnWaiters.shift()?.resolve();
    });
    child.once('exit', () => {
      this.alive = false;
      for (const waiter of this.drawnWaiters.splice(0)) waiter.reject(new Error(`${app.packageName} died`));
      for (const wake of this.exitWaiters.splice(0)) wake();
    });
  }

  static start(app: AppSpec, spawn: AppSpawner): AppProcess {
    const child = spawn(app);
    if (child.pid === undefined) throw new Error(`could not start ${app.packageName}`);
    return new AppProcess(app, child, child.pid);
  }

  /** Resolves at the app's next "drawn", rejects if it dies first. Call before signalling. */
  nextDrawn(): Promise<void> {
    if (!this.alive) return Promise.reject(new Error(`${this.app.packageName} is not running`));
    return new Promise((resolve, reject) => this.drawnWaiters.push({ resolve, reject }));
  }

  onExit(handler: () => void): void {
    if (!this.alive) handler();
    else this.exitWaiters.push(handler);
  }

  toFront(): void {
    this.signal('SIGUSR1');
  }

  toBack(): void {
    this.signal('SIGUSR2');
  }

  setAdj(adj: number): void {
    if (!this.alive || this.adj === adj) return;
    try {
      writeFileSync(`/proc/${this.pid}/oom_score_adj`, String(adj));
      this.adj = adj;
    } catch {
      // it exited meanwhile
    }
  }

  /** SIGKILL by pid, then waits until it is reaped. */
  async kill(): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise<void>((resolve) => this.onExit(resolve));
    this.signal('SIGKILL');
    await exited;
  }

  private signal(signal: NodeJS.Signals): void {
    if (this.alive) this.child.kill(signal);
  }
}
