import type { ZodType } from 'zod';
import { isReply, parseServerMessage, type ControlReply } from '../../src/control-protocol.js';
import { CliError } from '../cli-error.js';
import { agentCommand, requireRoot } from '../device/agent.js';
import { DEVICE_STATE_DIR, type Device, type ShellResult } from '../device/device.js';
import { openDevice, type DeviceTargetOptions } from '../device/open-device.js';
import { localAgentCommand, localRuntime, type LocalRuntime } from '../runtime/local.js';
import { LocalDevice } from '../runtime/local-device.js';

/**
 * Where the commands that drive the agent act: a device (through adb, as root, the deployed
 * `lmk-agent` launcher) or this machine (--local: this installation's agent entry under this
 * Node; in Termux as root through su, see host/runtime/local.ts). Both are a `Device` shell, so
 * every command has one code path: it runs `lmk-agent …` there and reads the JSON line it prints
 * (stdout and stderr come merged, as adb's shell gives them; the agent's errors are the
 * `lmk-agent: …` lines).
 */

/** Options of the commands that talk to the agent: the target, and its state directory. */
export interface ControlOptions extends DeviceTargetOptions {
  /** The agent's state directory (default: /run/lmk here, DEVICE_STATE_DIR on a device and in Termux). */
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

/** This machine as a Device (moved to host/runtime/, where Termux's su path lives). */
export { LocalDevice } from '../runtime/local-device.js';

function checkStateDir(dir: string): string {
  if (!dir.startsWith('/') || /[\0\n\r]/.test(dir)) throw new CliError(`--state-dir must be an absolute path, not '${dir}'`);
  return dir.length > 1 ? dir.replace(/\/+$/, '') : dir;
}

/**
 * This machine, for --local: on Linux this node runs the agent (as the root lmk runs as); inside
 * Termux, Termux's node runs it through su (host/runtime/local.ts).
 */
export function localSite(stateDir: string | undefined, runtime: LocalRuntime = localRuntime()): AgentSite {
  return {
    where: 'this machine',
    local: true,
    device: new LocalDevice(runtime),
    stateDir: checkStateDir(stateDir ?? runtime.defaultStateDir),
    command: (args) => localAgentCommand(runtime, args),
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
