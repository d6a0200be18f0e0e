import { spawn } from 'node:child_process';
import { chmod, copyFile, readFile } from 'node:fs/promises';
import type { ZodType } from 'zod';
import { DEFAULT_STATE_DIR, isReply, parseServerMessage, type ControlReply } from '../../src/control-protocol.js';
import { shellWords } from '../adb/shell-quote.js';
import { CliError } from '../cli-error.js';
import { agentCommand, requireRoot } from '../device/agent.js';
import { DEVICE_STATE_DIR, type Device, type ShellOptions, type ShellResult } from '../device/device.js';
import { openDevice, type DeviceTargetOptions } from '../device/open-device.js';
import { LOCAL_AGENT_ENTRY } from '../local-agent.js';

/**
 * Where the commands that drive the agent act: a device (through adb, as root, the deployed
 * `lmk-agent` launcher) or this machine (--local: this installation's agent entry under this
 * Node). Both are a `Device` shell, so every command has one code path: it runs `lmk-agent …`
 * there and reads the JSON line it prints (stdout and stderr come merged, as adb's shell gives
 * them; the agent's errors are the `lmk-agent: …` lines).
 */

/** Options of the commands that talk to the agent: the target, and its state directory. */
export interface ControlOptions extends DeviceTargetOptions {
  /** The agent's state directory (default: /run/lmk here, DEVICE_STATE_DIR on a device). */
  readonly stateDir?: string;
}

export interface AgentSite {
  /** For messages: the device's serial, or "this machine". */
  readonly where: string;
  readonly local: boolean;
  readonly device: Device;
  readonly stateDir: string;
  /** `lmk-agent ARGS…` as one shell command line there, every word quoted. */
  command(args: readonly string[]): string;
}

/** Exit status of a shell command that was not found (the launcher says the same when its node is missing). */
const NOT_FOUND = 127;

/**
 * This machine as a Device: commands run in /bin/sh with stderr merged into stdout, as on a device.
 * Root is whatever this process is (--local commands run as the user who runs lmk).
 */
export class LocalDevice implements Device {
  readonly serial = 'this machine';

  shell(command: string, options: ShellOptions = {}): Promise<ShellResult> {
    return new Promise((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', `exec 2>&1\n${command}`], { stdio: ['ignore', 'pipe', 'ignore'] });
      const chunks: Buffer[] = [];
      let timedOut = false;
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              timedOut = true;
              child.kill('SIGKILL');
            }, options.timeoutMs);
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.on('error', reject);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (timedOut) reject(new CliError(`'${command.split('\n')[0]?.slice(0, 80)}' did not finish within ${(options.timeoutMs ?? 0) / 1000} s`));
        else resolve({ output: Buffer.concat(chunks).toString('utf8'), exitCode: code ?? (signal ? 128 : 1) });
      });
    });
  }

  /** Runs in a process group of its own, which is killed when `signal` aborts. */
  shellLines(command: string, onLine: (line: string) => void, options: ShellOptions & { readonly signal?: AbortSignal } = {}): Promise<number | null> {
    return new Promise((resolve, reject) => {
      if (options.signal?.aborted) {
        resolve(null);
        return;
      }
      const child = spawn('/bin/sh', ['-c', `exec 2>&1\n${command}`], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
      let aborted = false;
      const abort = (): void => {
        aborted = true;
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      };
      options.signal?.addEventListener('abort', abort, { once: true });
      let partial = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        if (!aborted) for (const line of lines) onLine(line);
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

  rootAvailable(): Promise<boolean> {
    return Promise.resolve(process.getuid?.() === 0);
  }
}

function checkStateDir(dir: string): string {
  if (!dir.startsWith('/') || /[\0\n\r]/.test(dir)) throw new CliError(`--state-dir must be an absolute path, not '${dir}'`);
  return dir.length > 1 ? dir.replace(/\/+$/, '') : dir;
}

/** This machine, for --local. */
export function localSite(stateDir: string | undefined): AgentSite {
  return {
    where: 'this machine',
    local: true,
    device: new LocalDevice(),
    stateDir: checkStateDir(stateDir ?? DEFAULT_STATE_DIR),
    command: (args) => shellWords([process.execPath, LOCAL_AGENT_ENTRY, ...args]),
  };
}

/** A device as a site, once root works there. */
export async function deviceSite(device: Device, stateDir: string | undefined): Promise<AgentSite> {
  await requireRoot(device);
  return { where: device.serial, local: false, device, stateDir: checkStateDir(stateDir ?? DEVICE_STATE_DIR), command: agentCommand };
}

/** --local: this machine; else the device -s/$ANDROID_SERIAL names, or the only one (root required). */
export async function openSite(options: ControlOptions): Promise<AgentSite> {
  if (options.local) return localSite(options.stateDir);
  return deviceSite(await openDevice(options), options.stateDir);
}

/**
 * Runs `lmk-agent ARGS…` at the site as root. A device where the launcher (or its node) is
 * missing gets "lmk is not deployed on SERIAL: run lmk deploy" (as lmk doctor says it).
 */
export async function runAgent(site: AgentSite, args: readonly string[], options: { readonly timeoutMs?: number; readonly prefix?: string } = {}): Promise<ShellResult> {
  return checkDeployed(site, await site.device.shell(`${options.prefix ?? ''}${site.command(args)}`, { root: true, timeoutMs: options.timeoutMs ?? 60_000 }));
}

export function checkDeployed(site: AgentSite, run: ShellResult): ShellResult {
  if (!site.local && run.exitCode === NOT_FOUND) throw notDeployed(site);
  return run;
}

export function notDeployed(site: AgentSite): CliError {
  return new CliError(`lmk is not deployed on ${site.where}: run lmk deploy`);
}

/** Non-empty lines of a merged output. */
function lines(output: string): string[] {
  return output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The agent's own reason for failing: its last line that is not JSON, without "lmk-agent: ". */
export function failureLine(output: string): string | undefined {
  const line = lines(output)
    .filter((text) => !text.startsWith('{'))
    .at(-1);
  return line?.replace(/^lmk-agent: /, '');
}

/** "no agent running (…)" names the device it is about; this machine's message stays as the agent says it. */
export function describeFailure(site: AgentSite, reason: string): string {
  return site.local ? reason : reason.replace(/^no agent running\b/, `no agent running on ${site.where}`);
}

/** The last line of an output that parses as a control reply. */
export function lastReply(output: string): ControlReply | undefined {
  for (const line of lines(output).reverse()) {
    if (!line.startsWith('{')) continue;
    const parsed = parseServerMessage(line);
    if (parsed.ok && isReply(parsed.message)) return parsed.message;
  }
  return undefined;
}

/** The last JSON line of an output that `schema` accepts. */
export function lastJson<T>(output: string, schema: ZodType<T>): T | undefined {
  for (const line of lines(output).reverse()) {
    if (!line.startsWith('{')) continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      continue;
    }
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data;
  }
  return undefined;
}

/** A failed agent command as one CliError line. */
export function agentError(site: AgentSite, run: ShellResult, what: string): CliError {
  const reason = failureLine(run.output);
  return new CliError(describeFailure(site, reason ?? `${what} exited with code ${run.exitCode}`));
}

/**
 * `lmk-agent client ARGS… --state-dir DIR` at the site; the agent's reply (which may be an error
 * reply). Throws a CliError when there was no reply: no agent running, no access, not deployed.
 */
export async function clientRequest(site: AgentSite, args: readonly string[], prefix = ''): Promise<ControlReply> {
  const run = await runAgent(site, ['client', ...args, '--state-dir', site.stateDir], { prefix });
  const reply = lastReply(run.output);
  if (reply) return reply;
  if (run.exitCode === 0) throw new CliError(`the agent on ${site.where} printed no reply`);
  throw agentError(site, run, 'lmk-agent client');
}
