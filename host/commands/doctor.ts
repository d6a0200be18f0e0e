import { DoctorReportSchema, type DoctorReport } from '../../src/doctor-report.js';
import { formatDoctorReport } from '../../src/doctor-format.js';
import { CliError } from '../cli-error.js';
import { runLocalAgent } from '../local-agent.js';
import type { TargetOptions } from '../target.js';

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

export async function doctorCommand(target: TargetOptions): Promise<void> {
  if (!target.local) {
    throw new CliError('doctor for a device needs the adb transport, which this version does not have yet; use --local');
  }
  const report = await localReport();
  process.stdout.write(target.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctorReport(report));
}
