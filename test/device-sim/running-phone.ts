import { execFileSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { adbConnect, adbDisconnect } from './adb-cli.js';
import type { AppSpec } from './apps.js';
import type { PhoneCgroups } from './cgroups.js';
import { mountsBelow } from './host-tools.js';
import type { PhoneEvent, PhoneReply, PhoneRequest } from './ipc.js';
import type { LaunchResult, RunningApp } from './launcher.js';
import { hostPidOf } from './pid-map.js';
import type { ZramSwap } from '../support/zram-swap.js';

/** Where everything of a running phone is, for the harness (never visible inside the phone). */
export interface PhoneInfo {
  readonly serial: string;
  readonly port: number;
  readonly tempDir: string;
  readonly rootDir: string;
  readonly memcgDir: string;
  readonly cgroup2Dir: string;
  /** /dev/zramN, or null without swap. */
  readonly zramDevice: string | null;
}

/** pid is as the phone sees it (its own PID namespace); hostPid as this machine does. */
export interface PhoneLaunchResult extends LaunchResult {
  readonly hostPid: number | undefined;
}

export interface PhoneApp extends RunningApp {
  readonly hostPid: number | undefined;
}

export interface PhoneLauncher {
  readonly apps: readonly AppSpec[];
  /** Brings an app to the front like `am start -W`: cold if its process is gone, else warm. */
  open(packageName: string): Promise<PhoneLaunchResult>;
  forceStop(packageName: string): Promise<boolean>;
  /** Running apps, most recently in front first, with their pids and adj. */
  processes(): Promise<PhoneApp[]>;
}

export interface Phone extends PhoneInfo {
  readonly launcher: PhoneLauncher;
  /** Every process running on the phone, as this machine's pids. */
  pids(): number[];
  /** Memory charged to the phone's memory cgroup. */
  memoryUsageBytes(): number;
  /** Removes every process, mount, cgroup, the zram swap and the adb registration. */
  stop(): Promise<void>;
}

function waitForEvent(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the phone did not come up in time')), timeoutMs);
    const done = (): void => clearTimeout(timer);
    child.on('message', (event: PhoneEvent) => {
      if (event.type === 'ready') {
        done();
        resolve(event.port);
      } else if (event.type === 'failed') {
        done();
        reject(new Error(`the phone failed to boot: ${event.error}`));
      }
    });
    child.once('exit', (code, signal) => {
      done();
      reject(new Error(`the phone process exited during boot (${code ?? signal})`));
    });
  });
}

/** The host side's handle on a booted phone process (see startPhone in phone.ts). */
export class RunningPhone implements Phone {
  readonly launcher: PhoneLauncher;
  private nextRequest = 1;
  private readonly pending = new Map<number, (reply: PhoneReply) => void>();
  private stopping: Promise<void> | undefined;
  private readonly exitListener = (): void => this.stopSync();
  serial = '';
  port = 0;

  constructor(
    private readonly child: ChildProcess,
    private readonly groups: PhoneCgroups,
    private readonly zram: ZramSwap | undefined,
    readonly tempDir: string,
    private readonly connectAdb: boolean,
    apps: readonly AppSpec[],
    private readonly adbServerPort?: number,
  ) {
    child.on('message', (reply: PhoneReply) => {
      if ('id' in reply) {
        this.pending.get(reply.id)?.(reply);
        this.pending.delete(reply.id);
      }
    });
    child.once('exit', () => {
      for (const resolve of this.pending.values()) resolve({ id: 0, ok: false, error: 'the phone process exited' });
      this.pending.clear();
    });
    process.once('exit', this.exitListener);
    this.launcher = {
      apps,
      open: async (packageName) => {
        const result = (await this.request({ type: 'open', packageName })) as LaunchResult;
        return { ...result, hostPid: hostPidOf(result.pid, this.pids()) };
      },
      forceStop: async (packageName) => (await this.request({ type: 'forceStop', packageName })) as boolean,
      processes: async () => {
        const apps = (await this.request({ type: 'processes' })) as RunningApp[];
        const pids = this.pids();
        return apps.map((app) => ({ ...app, hostPid: hostPidOf(app.pid, pids) }));
      },
    };
  }

  get rootDir(): string {
    return `${this.tempDir}/root`;
  }
  get memcgDir(): string {
    return this.groups.memcgDir;
  }
  get cgroup2Dir(): string {
    return this.groups.cgroup2Dir;
  }
  get zramDevice(): string | null {
    return this.zram?.device ?? null;
  }

  pids(): number[] {
    return this.groups.pids();
  }

  memoryUsageBytes(): number {
    return this.groups.usageBytes();
  }

  async ready(timeoutMs: number): Promise<void> {
    this.port = await waitForEvent(this.child, timeoutMs);
    this.serial = `127.0.0.1:${this.port}`;
    if (this.connectAdb) await adbConnect(this.serial, undefined, this.adbServerPort);
  }

  private request(request: { type: PhoneRequest['type']; packageName?: string }): Promise<unknown> {
    const id = this.nextRequest++;
    return new Promise((resolve, reject) => {
      if (!this.child.connected) return reject(new Error('the phone is not running'));
      this.pending.set(id, (reply) => (reply.ok ? resolve(reply.value) : reject(new Error(reply.error))));
      this.child.send({ ...request, id } as PhoneRequest);
    });
  }

  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    process.removeListener('exit', this.exitListener);
    if (this.connectAdb && this.serial) await adbDisconnect(this.serial, this.adbServerPort);
    const exited = new Promise<void>((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) resolve();
      else this.child.once('exit', () => resolve());
    });
    if (this.child.connected) {
      await Promise.race([this.request({ type: 'stop' }).catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 10_000))]);
    }
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
    await this.groups.remove();
    this.zram?.remove();
    removeTempDir(this.tempDir);
  }

  /** Last resort when the host process exits without stop(): synchronous, best effort. */
  private stopSync(): void {
    const sleep = new Int32Array(new SharedArrayBuffer(4));
    for (let attempt = 0; attempt < 100; attempt++) {
      const pids = [this.child.pid, ...this.groups.pids()].filter((pid): pid is number => pid !== undefined);
      const alive = pids.filter((pid) => {
        try {
          process.kill(pid, 'SIGKILL');
          return true;
        } catch {
          return false;
        }
      });
      if (alive.length === 0) break;
      Atomics.wait(sleep, 0, 0, 20);
    }
    void this.groups.remove().catch(() => undefined); // sync part: rmdir once empty
    try {
      this.zram?.remove();
      if (this.connectAdb && this.serial) execFileSync('adb', [...(this.adbServerPort === undefined ? [] : ['-P', String(this.adbServerPort)]), 'disconnect', this.serial], { stdio: 'ignore', timeout: 5_000 });
      removeTempDir(this.tempDir);
    } catch {
      // nothing more can be done while exiting
    }
  }
}

export function removeTempDir(dir: string): void {
  // The phone's mounts live in its own namespace; in ours the mount points are empty directories.
  // Never delete through a mount that is somehow visible here.
  const mounted = mountsBelow(dir);
  if (mounted.length > 0) throw new Error(`not removing ${dir}: ${mounted.join(', ')} still mounted`);
  rmSync(dir, { recursive: true, force: true });
}
