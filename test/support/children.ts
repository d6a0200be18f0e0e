import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildC } from './native-build.js';
import type { TestCgroup } from './cgroups.js';

export type HogMode = 'pause' | 'loop' | { readonly grow: { readonly stepMib: number; readonly intervalMs: number } };

/** A child process a test started; only these are ever killed, and always by pid. */
export class TestChild {
  private constructor(readonly process: ChildProcess) {}

  get pid(): number {
    return this.process.pid!;
  }

  get exited(): boolean {
    return this.process.exitCode !== null || this.process.signalCode !== null;
  }

  /**
   * Starts `hog MiB mode` inside `groups` (joined before exec, so every page is charged to them)
   * and resolves once all its memory is touched.
   */
  /** `name`: run it under that file name (a symlink), so its cmdline names it like an app. */
  static async hog(mib: number, mode: HogMode, groups: readonly TestCgroup[], options: { oomScoreAdj?: number; name?: string } = {}): Promise<TestChild> {
    let hog = buildC('test/fixtures/bin/hog.c');
    if (options.name) {
      const link = join(dirname(hog), options.name);
      if (!existsSync(link)) symlinkSync(hog, link);
      hog = link;
    }
    const joins = groups.map((group) => `${group.joinCommand()} && `).join('');
    const adj = options.oomScoreAdj === undefined ? '' : `echo ${options.oomScoreAdj} > /proc/$$/oom_score_adj && `;
    const args = typeof mode === 'string' ? mode : `grow ${mode.grow.stepMib} ${mode.grow.intervalMs}`;
    const child = new TestChild(spawn('/bin/sh', ['-c', `${joins}${adj}exec ${hog} ${mib} ${args}`], { stdio: ['ignore', 'pipe', 'inherit'] }));
    const ready = new Promise<void>((resolve, reject) => {
      child.process.stdout!.setEncoding('utf8').on('data', (text: string) => {
        if (text.includes('ready')) resolve();
      });
      child.process.once('exit', (code, signal) => reject(new Error(`hog exited (${code ?? signal}) before it was ready`)));
    });
    await ready;
    return child;
  }

  static spawn(command: string, args: readonly string[]): TestChild {
    return new TestChild(spawn(command, args, { stdio: 'ignore' }));
  }

  async waitExit(): Promise<void> {
    if (!this.exited) await once(this.process, 'exit');
  }

  /** SIGKILL by pid if still running, then wait for it to be reaped. */
  async kill(): Promise<void> {
    if (this.exited) return;
    this.process.kill('SIGKILL');
    await this.waitExit();
  }
}

/** Polls `condition` every 20 ms until true or `timeoutMs` passes; returns whether it became true. */
export async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (condition()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
