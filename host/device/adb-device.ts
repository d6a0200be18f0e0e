import { CliError } from '../cli-error.js';
import { parseGetprop } from '../adb/getprop.js';
import { runShell, runShellLines } from '../adb/shell.js';
import type { AdbTransport } from '../adb/transport.js';
import type { Device, ShellOptions, ShellResult } from './device.js';
import { asRoot, probeRoot, type RootProbe } from './root.js';

/** The Device contract over adb: exit statuses through the marker, root through adbd or su. */
export class AdbDevice implements Device {
  private root: Promise<RootProbe> | undefined;

  constructor(readonly transport: AdbTransport) {}

  get serial(): string {
    return this.transport.serial;
  }

  /** How root is reached here (probed once, then cached for this device). */
  rootProbe(): Promise<RootProbe> {
    if (this.root) return this.root;
    const probe = probeRoot((command, timeoutMs) => runShell(this.transport, command, timeoutMs));
    // A failed probe (the device went away) is not cached: the next call asks again.
    probe.catch(() => {
      if (this.root === probe) this.root = undefined;
    });
    this.root = probe;
    return probe;
  }

  async rootAvailable(): Promise<boolean> {
    return (await this.rootProbe()).method !== null;
  }

  /** The command as root, or a CliError "no root on SERIAL: …". */
  private async rooted(command: string): Promise<string> {
    const probe = await this.rootProbe();
    if (probe.method === null) throw new CliError(`no root on ${this.serial}: ${probe.reason}`);
    return asRoot(probe.method, command);
  }

  async shell(command: string, options: ShellOptions = {}): Promise<ShellResult> {
    const line = options.root ? await this.rooted(command) : command;
    return runShell(this.transport, line, options.timeoutMs);
  }

  async shellLines(command: string, onLine: (line: string) => void, options: ShellOptions & { readonly signal?: AbortSignal } = {}): Promise<number | null> {
    const line = options.root ? await this.rooted(command) : command;
    return runShellLines(this.transport, line, onLine, options.signal);
  }

  push(localPath: string, remotePath: string, mode: number, onProgress?: (bytesSent: number) => void): Promise<void> {
    return this.transport.push(localPath, remotePath, mode, onProgress);
  }

  pull(remotePath: string): Promise<Buffer> {
    return this.transport.pull(remotePath);
  }

  async props(): Promise<ReadonlyMap<string, string>> {
    const run = await this.shell('getprop');
    if (run.exitCode !== 0) throw new CliError(`getprop failed on ${this.serial} (exit ${run.exitCode})`);
    return parseGetprop(run.output);
  }
}
