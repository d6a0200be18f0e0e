import { spawn } from 'node:child_process';
import { chmod, copyFile, readFile } from 'node:fs/promises';
import { CliError } from '../cli-error.js';
import type { Device, ShellOptions, ShellResult } from '../device/device.js';
import { asRoot, probeRoot, type RootProbe } from '../device/root.js';
import { localAgentCommand, localRuntime, type LocalRuntime } from './local.js';

function brief(command: string): string {
  return command.split('\n')[0]?.slice(0, 80) ?? '';
}

/**
 * This machine as a Device: commands run in its sh (/bin/sh; Android's /system/bin/sh in Termux)
 * with stderr merged into stdout, as on a device. Root: on Linux whatever this process is (--local
 * commands run as the user who runs lmk); in Termux, su (probed once, as on a device).
 */
export class LocalDevice implements Device {
  readonly serial = 'this machine';
  private root: Promise<RootProbe> | undefined;

  constructor(readonly runtime: LocalRuntime = localRuntime()) {}

  /** How root is reached in Termux: already root, `su -c`, or AOSP's `su 0 sh -c`. */
  private rootProbe(): Promise<RootProbe> {
    this.root ??= probeRoot((command, timeoutMs) => this.run(command, timeoutMs));
    return this.root;
  }

  /** The command as root: itself when lmk already is (or on Linux, where lmk runs as it is), else through su. */
  async rooted(command: string): Promise<string> {
    if (this.runtime.root === 'self') return command;
    const probe = await this.rootProbe();
    if (probe.method === null) throw new CliError(`no root on this machine: ${probe.reason}`);
    return asRoot(probe.method, command);
  }

  private run(command: string, timeoutMs: number | undefined): Promise<ShellResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.runtime.shell, ['-c', `exec 2>&1\n${command}`], { stdio: ['ignore', 'pipe', 'ignore'] });
      const chunks: Buffer[] = [];
      let timedOut = false;
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              timedOut = true;
              child.kill('SIGKILL');
              // su's root child may keep the pipe open after su itself is gone.
              if (this.runtime.root === 'su') child.stdout.destroy();
            }, timeoutMs);
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.on('error', reject);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (timedOut) reject(new CliError(`'${brief(command)}' did not finish within ${(timeoutMs ?? 0) / 1000} s`));
        else resolve({ output: Buffer.concat(chunks).toString('utf8'), exitCode: code ?? (signal ? 128 : 1) });
      });
    });
  }

  async shell(command: string, options: ShellOptions = {}): Promise<ShellResult> {
    return this.run(options.root ? await this.rooted(command) : command, options.timeoutMs);
  }

  /** Runs in a process group of its own, which is killed when `signal` aborts. */
  async shellLines(command: string, onLine: (line: string) => void, options: ShellOptions & { readonly signal?: AbortSignal } = {}): Promise<number | null> {
    const line = options.root ? await this.rooted(command) : command;
    return new Promise((resolve, reject) => {
      if (options.signal?.aborted) {
        resolve(null);
        return;
      }
      const child = spawn(this.runtime.shell, ['-c', `exec 2>&1\n${line}`], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
      let aborted = false;
      const abort = (): void => {
        aborted = true;
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
        // A command su runs as root is in no group of ours and may hold the pipe: stop reading it,
        // so it gets EPIPE on its next line and this resolves now.
        if (this.runtime.root === 'su') child.stdout.destroy();
      };
      options.signal?.addEventListener('abort', abort, { once: true });
      let partial = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        if (!aborted) for (const text of lines) onLine(text);
      });
      child.on('error', reject);
      child.on('close', (code, signal) => {
        options.signal?.removeEventListener('abort', abort);
        if (partial !== '' && !aborted) onLine(partial);
        resolve(aborted ? null : (code ?? (signal ? 128 : 1)));
      });
    });
  }

  async push(localPath: string, remotePath: string, mode: number): Promise<void> {
    await copyFile(localPath, remotePath);
    await chmod(remotePath, mode);
  }

  pull(remotePath: string): Promise<Buffer> {
    return readFile(remotePath);
  }

  props(): Promise<ReadonlyMap<string, string>> {
    return Promise.resolve(new Map());
  }

  async rootAvailable(): Promise<boolean> {
    if (this.runtime.root === 'self') return process.getuid?.() === 0;
    return (await this.rootProbe()).method !== null;
  }
}

/**
 * How to spawn `lmk-agent ARGS…` here with its own stdio: on Linux this node on the entry, as
 * always; in Termux the agent's command line in Android's sh, through su unless lmk is root.
 */
export async function localAgentSpawn(runtime: LocalRuntime, args: readonly string[], device = new LocalDevice(runtime)): Promise<{ readonly file: string; readonly args: readonly string[] }> {
  if (runtime.kind === 'linux') return { file: runtime.node, args: [runtime.entry, ...args] };
  return { file: runtime.shell, args: ['-c', await device.rooted(localAgentCommand(runtime, args))] };
}
