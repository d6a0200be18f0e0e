import { formatBytes } from '../bundle/size-report.js';
import { CliError } from '../cli-error.js';
import { deployToDevice, type DeploySummary } from '../device/deploy/deploy.js';
import { DEVICE_INSTALL_DIR, DEVICE_STATE_DIR } from '../device/device.js';
import { openDevice, type DeviceTargetOptions } from '../device/open-device.js';

export interface DeployCommandOptions extends DeviceTargetOptions {
  readonly config?: string;
  readonly runtime?: string;
}

function formatSummary(summary: DeploySummary): string {
  const pushed = summary.pushed.length === 0 ? 'nothing pushed (up to date)' : `pushed ${summary.pushed.length} file${summary.pushed.length === 1 ? '' : 's'} (${formatBytes(summary.bytesPushed)})`;
  const parts = [pushed, `${summary.skipped} unchanged`];
  if (summary.deleted.length > 0) parts.push(`${summary.deleted.length} deleted`);
  if (summary.config !== 'none') parts.push(`config ${summary.config}`);
  return [
    `lmk-agent ${summary.version} (${summary.abi}, ${summary.runtime} Node) is on ${summary.serial} at ${summary.installDir}`,
    `  ${parts.join(', ')}, in ${summary.seconds} s (bundle build ${summary.buildSeconds} s)`,
    '',
  ].join('\n');
}

/** `lmk deploy`: puts the agent and its runtime on a device, pushing only what changed. */
export async function deployCommand(options: DeployCommandOptions): Promise<void> {
  if (options.local) throw new CliError('deploy puts lmk on a device; on this machine run lmk agent (or lmk bundle --local)');
  const device = await openDevice(options);
  const summary = await deployToDevice(device, {
    installDir: DEVICE_INSTALL_DIR,
    stateDir: DEVICE_STATE_DIR,
    ...(options.config !== undefined && { configFile: options.config }),
    ...(options.runtime !== undefined && { runtime: options.runtime }),
    progress: (line) => process.stderr.write(`lmk deploy: ${line}\n`),
  });
  process.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
}
