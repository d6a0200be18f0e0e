import { CliError } from '../cli-error.js';
import { AdbTransport } from '../adb/transport.js';
import { checkSerial } from '../adb/device-selection.js';
import { AdbDevice } from '../device/adb-device.js';
import { summarizeDevice, unreachableDevice, type DeviceSummary } from '../device/device-summary.js';
import { connectAdbServer, type DeviceTargetOptions } from '../device/open-device.js';

export interface DevicesOptions extends DeviceTargetOptions {
  /** Only this device (when -s was given on the command line). */
  readonly only?: string;
}

function yesNo(value: boolean | null): string {
  return value === null ? '?' : value ? 'yes' : 'no';
}

function agentCell(summary: DeviceSummary): string {
  if (summary.agentDeployed === null) return '?';
  if (!summary.agentDeployed) return 'not deployed';
  return summary.agentRunning === null ? 'deployed' : summary.agentRunning ? 'running' : 'stopped';
}

function formatTable(summaries: readonly DeviceSummary[]): string {
  if (summaries.length === 0) return 'no devices (adb sees none)\n';
  const header = ['SERIAL', 'STATE', 'MODEL', 'ABI', 'ANDROID', 'KERNEL', 'ROOT', 'PSI', 'MRELEASE', 'AGENT'];
  const rows = summaries.map((s) => [
    s.serial,
    s.state,
    s.model ?? '?',
    s.abi ?? '?',
    s.release === null ? '?' : `${s.release}${s.sdk === null ? '' : ` (SDK ${s.sdk})`}`,
    s.kernel ?? '?',
    s.rootMethod ? `yes (${s.rootMethod})` : yesNo(s.root),
    yesNo(s.psi),
    yesNo(s.processMrelease),
    agentCell(s),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  const notes = summaries.flatMap((s) => s.notes.map((note) => `  ${s.serial}: ${note}`));
  return `${[line(header), ...rows.map(line), ...(notes.length > 0 ? ['', ...notes] : [])].join('\n')}\n`;
}

/** `lmk devices`: every device adb sees, with what matters to lmk. */
export async function devicesCommand(options: DevicesOptions): Promise<void> {
  if (options.local) throw new CliError('devices lists what adb sees; for this machine use lmk doctor --local');
  const server = await connectAdbServer(options);
  let entries = await server.devices();
  if (options.only !== undefined) {
    const serial = checkSerial(options.only);
    entries = entries.filter((entry) => entry.serial === serial);
    if (entries.length === 0) throw new CliError(`no device ${serial} (see lmk devices)`);
  }
  const summaries: DeviceSummary[] = [];
  for (const entry of entries) {
    if (entry.state !== 'device') {
      summaries.push(unreachableDevice(entry));
      continue;
    }
    try {
      summaries.push(await summarizeDevice(new AdbDevice(new AdbTransport(server, entry.serial)), entry));
    } catch (error) {
      // The server going away ends the command; one device failing is that device's note.
      if (error instanceof CliError && error.message.startsWith('adb server unreachable')) throw error;
      summaries.push(unreachableDevice(entry, error));
    }
  }
  process.stdout.write(options.json ? `${JSON.stringify(summaries, null, 2)}\n` : formatTable(summaries));
}
