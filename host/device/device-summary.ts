import { CliError } from '../cli-error.js';
import { shellQuote } from '../adb/shell-quote.js';
import type { AdbDeviceEntry } from '../adb/server.js';
import type { AdbDevice } from './adb-device.js';
import { agentAnswers, agentDeployed, agentDoctor } from './agent.js';
import type { RootMethod } from './root.js';

/** One line of `lmk devices`; null is "unknown", never "no". */
export interface DeviceSummary {
  readonly serial: string;
  readonly state: string;
  readonly model: string | null;
  readonly abi: string | null;
  readonly release: string | null;
  readonly sdk: number | null;
  readonly kernel: string | null;
  readonly root: boolean | null;
  readonly rootMethod: RootMethod | null;
  readonly psi: boolean | null;
  /** null until lmk is deployed: only the agent can probe the syscall. */
  readonly processMrelease: boolean | null;
  readonly agentDeployed: boolean | null;
  /** Whether the agent's control socket answers; null when not deployed or without root. */
  readonly agentRunning: boolean | null;
  /** What could not be found out, one line each. */
  readonly notes: readonly string[];
}

function unknown(entry: AdbDeviceEntry, note?: string): DeviceSummary {
  return {
    serial: entry.serial,
    state: entry.state,
    model: null,
    abi: null,
    release: null,
    sdk: null,
    kernel: null,
    root: null,
    rootMethod: null,
    psi: null,
    processMrelease: null,
    agentDeployed: null,
    agentRunning: null,
    notes: note ? [note] : [],
  };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Reads what `lmk devices` shows about one ready device; failures become notes and nulls. */
export async function summarizeDevice(device: AdbDevice, entry: AdbDeviceEntry): Promise<DeviceSummary> {
  const notes: string[] = [];
  const props = await device.props();
  const prop = (name: string): string | null => {
    const value = props.get(name);
    return value === undefined || value === '' ? null : value;
  };
  const sdkText = prop('ro.build.version.sdk');
  const uname = await device.shell('uname -r');
  const probe = await device.rootProbe();
  if (probe.method === null) notes.push(`no root: ${probe.reason}`);
  const deployed = await agentDeployed(device);

  let psi: boolean | null = null;
  let processMrelease: boolean | null = null;
  let agentRunning: boolean | null = null;
  if (deployed) {
    try {
      const report = await agentDoctor(device, { root: probe.method !== null });
      psi = report.psi;
      processMrelease = report.processMrelease;
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      notes.push(error.message);
    }
    if (probe.method !== null) agentRunning = await agentAnswers(device);
    else notes.push('agent running: unknown without root');
  } else {
    notes.push('process_mrelease: unknown: deploy to probe');
  }
  if (psi === null) psi = (await device.shell(`test -e ${shellQuote('/proc/pressure/memory')}`)).exitCode === 0;

  return {
    serial: entry.serial,
    state: entry.state,
    model: prop('ro.product.model'),
    abi: prop('ro.product.cpu.abi'),
    release: prop('ro.build.version.release'),
    sdk: sdkText !== null && /^\d+$/.test(sdkText) ? Number(sdkText) : null,
    kernel: uname.exitCode === 0 ? uname.output.trim() || null : null,
    root: probe.method !== null,
    rootMethod: probe.method,
    psi,
    processMrelease,
    agentDeployed: deployed,
    agentRunning,
    notes,
  };
}

/** A device adb lists but cannot be asked (offline, unauthorized), or one that failed mid-way. */
export function unreachableDevice(entry: AdbDeviceEntry, error?: unknown): DeviceSummary {
  return unknown(entry, error === undefined ? undefined : message(error));
}
