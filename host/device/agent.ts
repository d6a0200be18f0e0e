import { DoctorReportSchema, type DoctorReport } from '../../src/doctor-report.js';
import { CliError } from '../cli-error.js';
import { shellQuote, shellWords } from '../adb/shell-quote.js';
import { DEVICE_INSTALL_DIR, DEVICE_STATE_DIR, type Device } from './device.js';

/** The deployed agent's launcher on a device. */
export const DEVICE_AGENT = `${DEVICE_INSTALL_DIR}/lmk-agent`;

/** `lmk-agent ARGS…` as a device shell command line, every word quoted. */
export function agentCommand(args: readonly string[]): string {
  return shellWords([DEVICE_AGENT, ...args]);
}

/** The last non-empty line of a command's output (the agent's one-line reason on failure). */
export function lastLine(output: string): string | undefined {
  return output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .at(-1);
}

export async function agentDeployed(device: Device): Promise<boolean> {
  return (await device.shell(`test -x ${shellQuote(DEVICE_AGENT)}`)).exitCode === 0;
}

/** Throws "lmk is not deployed on SERIAL: run lmk deploy" unless the launcher is there. */
export async function requireAgent(device: Device): Promise<void> {
  if (!(await agentDeployed(device))) throw new CliError(`lmk is not deployed on ${device.serial}: run lmk deploy`);
}

/** Throws "no root on SERIAL: …" unless root works there. */
export async function requireRoot(device: Device): Promise<void> {
  // shell({ root: true }) throws the reason (su missing, denied, not answering).
  await device.shell('true', { root: true });
}

/** The JSON object an agent command printed: its last line that is one (stderr is merged in). */
export function lastJsonLine(output: string): unknown {
  const line = output
    .split('\n')
    .map((text) => text.trim())
    .filter((text) => text.startsWith('{'))
    .at(-1);
  if (line === undefined) return undefined;
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}

/** `lmk-agent doctor --json` on the device, as root, checked against DoctorReportSchema. */
export async function agentDoctor(device: Device, options: { readonly root?: boolean } = {}): Promise<DoctorReport> {
  const run = await device.shell(agentCommand(['doctor', '--json']), { root: options.root ?? true, timeoutMs: 120_000 });
  if (run.exitCode !== 0) {
    throw new CliError(`lmk-agent doctor failed on ${device.serial}: ${lastLine(run.output)?.replace(/^lmk-agent: /, '') ?? `exit ${run.exitCode}`}`);
  }
  const json = lastJsonLine(run.output);
  if (json === undefined) throw new CliError(`lmk-agent doctor on ${device.serial} printed no JSON report`);
  const parsed = DoctorReportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(`the doctor report from ${device.serial} is malformed: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}

/** Whether the agent's control socket answers `status` (as root: the socket is root-only). */
export async function agentAnswers(device: Device): Promise<boolean> {
  const run = await device.shell(agentCommand(['client', 'status', '--state-dir', DEVICE_STATE_DIR]), { root: true, timeoutMs: 30_000 });
  return run.exitCode === 0;
}
