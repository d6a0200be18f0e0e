#!/usr/bin/env node
/** `lmk`: the host CLI. It drives the agent on a device through adb, or on this machine (--local). */
import { Command, Option } from 'commander';
import { cliVersion } from './version.js';
import { DEFAULT_STATE_DIR } from '../src/control-protocol.js';
import { CliError } from './cli-error.js';
import { DEFAULT_INSTALL_DIR } from './bundle/launcher.js';
import { agentCommand, type AgentCommandOptions } from './commands/agent.js';
import { bundleCommand, type BundleCommandOptions } from './commands/bundle.js';
import { deployCommand, type DeployCommandOptions } from './commands/deploy.js';
import { devicesCommand } from './commands/devices.js';
import { doctorCommand } from './commands/doctor.js';
import { experimentReportCommand, type ExperimentReportOptions } from './commands/experiment-report.js';
import { EXPERIMENT_SPEC_HELP, experimentRunCommand, type ExperimentRunOptions } from './commands/experiment-run.js';
import type { ControlOptions } from './commands/agent-client.js';
import { bandsCommand } from './commands/bands.js';
import { configCheckCommand, type ConfigCheckOptions } from './commands/config-check.js';
import { logsCommand, type LogsOptions } from './commands/logs.js';
import { reloadCommand } from './commands/reload.js';
import { startCommand, type StartOptions } from './commands/start.js';
import { statusCommand } from './commands/status.js';
import { stopCommand } from './commands/stop.js';
import { watchCommand, type WatchOptions } from './commands/watch.js';
import { DEVICE_STATE_DIR } from './device/device.js';
import type { DeviceTargetOptions } from './device/open-device.js';

/** Where the adb server is: every command that reaches a device takes these. */
function withAdbServer(command: Command): Command {
  return command
    .addOption(new Option('--adb-host <host>', 'host of the adb server (default: 127.0.0.1)'))
    .addOption(new Option('--adb-port <port>', 'port of the adb server (default: 5037)').env('ANDROID_ADB_SERVER_PORT'));
}

function withTarget(command: Command): Command {
  return withAdbServer(command)
    .addOption(new Option('-s, --serial <serial>', 'device serial (default: $ANDROID_SERIAL, then the only device)').env('ANDROID_SERIAL'))
    .option('--local', 'act on this machine (Linux, or Termux on the phone itself) instead of a device')
    .option('--json', 'machine-readable output');
}

const program = new Command('lmk')
  .description('A userspace low-memory killer for rooted Android that reaps victims with process_mrelease(2).')
  .version(cliVersion())
  .showHelpAfterError()
  .addHelpText('after', '\nEnvironment: LMK_PROC_ROOT and LMK_SYSFS_ROOT point --local commands at another /proc or /sys.');

withTarget(program.command('doctor'))
  .description('show what the kernel offers the agent: pidfd, process_mrelease, PSI triggers, cgroups, swap, CPU clusters')
  .action((options: DeviceTargetOptions) => doctorCommand(options));

withTarget(program.command('devices'))
  .description('list the devices adb sees: model, ABI, Android, kernel, root, PSI, process_mrelease, and whether lmk runs there')
  .action((options: DeviceTargetOptions, command: Command) =>
    // -s narrows the list; $ANDROID_SERIAL alone does not (adb devices ignores it too).
    devicesCommand({ ...options, ...(command.getOptionValueSource('serial') === 'cli' && options.serial !== undefined && { only: options.serial }) }),
  );

withTarget(program.command('deploy'))
  .description('put the agent and its Node runtime on a device, pushing only the files that changed')
  .option('--config <file>', 'config file (JSON) to deploy with it, checked here first')
  .option('--runtime <runtime>', "which Node runs the agent: bundled, termux (Termux's node), or the path of a node on the device", 'bundled')
  .action((options: DeployCommandOptions) => deployCommand(options));

withTarget(program.command('bundle'))
  .description('build the agent for a device ABI: official Node, glibc from Debian, koffi and the agent, run by one sh script')
  .option('--abi <abi>', 'Android ABI to build for: arm64-v8a or x86_64 (with --local: this machine\'s)')
  .option('--out <dir>', 'folder to write the bundle to (default: <cache>/out/<abi>)')
  .option('--install-dir <dir>', 'absolute path the bundle will live at on the device (node\'s ELF interpreter points into it)', DEFAULT_INSTALL_DIR)
  .option('--cache <dir>', 'download and build cache (default: the project\'s .cache/bundle)')
  .action((options: BundleCommandOptions) => bundleCommand(options));

/** For the commands that talk to a running agent through its control socket. */
function withStateDir(command: Command): Command {
  return command.addOption(new Option('--state-dir <dir>', `the agent's state directory (default: ${DEVICE_STATE_DIR} on a device and in Termux, ${DEFAULT_STATE_DIR} with --local on Linux)`));
}

program
  .command('agent')
  .description('run the agent in the foreground on this machine (as root), exactly as it runs on a device; Ctrl-C stops it')
  .option('--config <file>', "config file (JSON); defaults are stock lmkd's")
  .option('--dry-run', 'decide and log victims, kill nothing')
  .option('--state-dir <dir>', 'where the control socket and kill log live (overrides the config)')
  .action((options: AgentCommandOptions) => agentCommand(options));

withStateDir(withTarget(program.command('start')))
  .description('start the agent under a supervisor that restarts it if it dies, and wait until it answers')
  .option('--config <file>', 'config file (JSON), checked here first; on a device it is pushed next to the agent (default: the one there, if any)')
  .option('--dry-run', 'decide and log victims, kill nothing')
  .option('--wait <seconds>', 'how long to wait for the agent to answer', '20')
  .action((options: StartOptions) => startCommand(options));

withStateDir(withTarget(program.command('status')))
  .description("show the running agent's kills per band, recent kills, PSI now, reaper CPUs and processes per band")
  .action((options: ControlOptions) => statusCommand(options));

withStateDir(withTarget(program.command('watch')))
  .description('stream kill and pressure events as they happen, one line each, with band counts every few seconds, until interrupted')
  .option('--bands-every <seconds>', 'seconds between band-count lines (0: none; not with --json)', '5')
  .action((options: WatchOptions) => watchCommand(options));

withStateDir(withTarget(program.command('reload')))
  .argument('<file>', 'the new config (JSON)')
  .description('give the running agent a new config; an invalid one is refused and the old one kept')
  .action((file: string, options: ControlOptions) => reloadCommand(file, options));

withStateDir(withTarget(program.command('stop')))
  .description('stop the running agent and its supervisor, and wait until both are gone (exit 1 when nothing runs)')
  .action((options: ControlOptions) => stopCommand(options));

withStateDir(withTarget(program.command('logs')))
  .description("show the agent's kill log (kept across restarts), oldest first")
  .option('--limit <n>', 'only the newest N kills')
  .action((options: LogsOptions) => logsCommand(options));

withTarget(program.command('bands'))
  .description('list the processes by Android importance band (oom_score_adj) with uid, RSS and name')
  .action((options: ControlOptions) => bandsCommand(options));

program
  .command('config')
  .description('work with config files')
  .command('check')
  .argument('<file>', 'the config (JSON)')
  .option('--json', 'machine-readable output')
  .description('validate a config file here: print the effective config (defaults filled in), or the bad field (exit 2)')
  .action((file: string, options: ConfigCheckOptions) => configCheckCommand(file, options));

const experiment = program.command('experiment').description('A/B experiments: agent configs (or none) on real app launches, with reports');

withStateDir(withTarget(experiment.command('run')))
  .argument('<spec>', 'the experiment spec (JSON): apps, rounds, pauses, arms (agent configs, or null for no lmk)')
  .description('run the arms interleaved round by round on a device; write records, summary.csv, report.html and trace.json')
  .option('--out <dir>', 'output folder (default: ./lmk-experiment-NAME-TIME)')
  .addHelpText('after', EXPERIMENT_SPEC_HELP)
  .action((spec: string, options: ExperimentRunOptions) => experimentRunCommand(spec, options));

experiment
  .command('report')
  .argument('<dir>', "an experiment's output folder")
  .option('--json', 'machine-readable output')
  .description('rebuild summary.csv, report.html and trace.json from the raw records in DIR')
  .action((dir: string, options: ExperimentReportOptions) => experimentReportCommand(dir, options));

program.parseAsync().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  if (message !== '') process.stderr.write(`lmk: ${message}\n`);
  process.exitCode = error instanceof CliError ? error.exitCode : 1;
});
