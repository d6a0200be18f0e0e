import { DoctorReportSchema, type DoctorReport } from '../../src/doctor-report.js';
import { formatDoctorReport } from '../../src/doctor-format.js';
import { CliError } from '../cli-error.js';
import { agentDoctor, requireAgent, requireRoot } from '../device/agent.js';
import { openDevice, type DeviceTargetOptions } from '../device/open-device.js';
import { runLocalAgent } from '../local-agent.js';

async function localReport(): Promise<DoctorReport> {
  const run = await runLocalAgent(['doctor', '--json']);
  if (run.code !== 0) throw new CliError(`local agent failed: ${run.stderr.trim().split('\n').at(-1) ?? `exit ${run.code}`}`);
  let json: unknown;
  try {
    json = JSON.parse(run.stdout);
  } catch {
    throw new CliError('local agent printed something that is not JSON');
  }
  const parsed = DoctorReportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(`local agent's report is malformed: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}

/** The deployed agent's report from a device, run as root there. */
async function deviceReport(target: DeviceTargetOptions): Promise<DoctorReport> {
  const device = await openDevice(target);
  await requireRoot(device);
  await requireAgent(device);
  return agentDoctor(device);
}

export async function doctorCommand(target: DeviceTargetOptions): Promise<void> {
  const report = target.local ? await localReport() : await deviceReport(target);
  process.stdout.write(target.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctorReport(report));
}
