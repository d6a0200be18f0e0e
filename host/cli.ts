#!/usr/bin/env node
/** `lmk`: the host CLI. It drives the agent on a device through adb, or on this machine (--local). */
import { Command, Option } from 'commander';
import { cliVersion } from './version.js';
import { DEFAULT_STATE_DIR } from '../src/control-protocol.js';
import { CliError } from './cli-error.js';
import { DEFAULT_INSTALL_DIR } from './bundle/launcher.js';
import { agentCommand, type AgentCommandOptions } from './commands/agent.js';
import { bundleCommand, type BundleCommandOptions } from './commands/bundle.js';
import { doctorCommand } from './commands/doctor.js';
import type { ControlOptions } from './commands/agent-client.js';
import { reloadCommand } from './commands/reload.js';
import { statusCommand } from './commands/status.js';
import { stopCommand } from './commands/stop.js';
import { watchCommand } from './commands/watch.js';
import type { TargetOptions } from './target.js';

function withTarget(command: Command): Command {
  return command
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
  .action((options: TargetOptions) => doctorCommand(options));

withTarget(program.command('bundle'))
  .description('build the agent for a device ABI: official Node, glibc from Debian, koffi and the agent, run by one sh script')
  .option('--abi <abi>', 'Android ABI to build for: arm64-v8a or x86_64 (with --local: this machine\'s)')
  .option('--out <dir>', 'folder to write the bundle to (default: <cache>/out/<abi>)')
  .option('--install-dir <dir>', 'absolute path the bundle will live at on the device (node\'s ELF interpreter points into it)', DEFAULT_INSTALL_DIR)
  .option('--cache <dir>', 'download and build cache (default: the project\'s .cache/bundle)')
  .action((options: BundleCommandOptions) => bundleCommand(options));

/** For the commands that talk to a running agent through its control socket. */
function withStateDir(command: Command): Command {
  return command.addOption(new Option('--state-dir <dir>', "the agent's state directory, holding control.sock").default(DEFAULT_STATE_DIR));
}

program
  .command('agent')
  .description('run the agent in the foreground on this machine (as root), exactly as it runs on a device; Ctrl-C stops it')
  .option('--config <file>', "config file (JSON); defaults are stock lmkd's")
  .option('--dry-run', 'decide and log victims, kill nothing')
  .option('--state-dir <dir>', 'where the control socket and kill log live (overrides the config)')
  .action((options: AgentCommandOptions) => agentCommand(options));

withStateDir(withTarget(program.command('status')))
  .description("show the running agent's kills per band, recent kills, PSI now and reaper CPUs")
  .action((options: ControlOptions) => statusCommand(options));

withStateDir(withTarget(program.command('watch')))
  .description('stream kill and pressure events as they happen, one line each, until interrupted')
  .action((options: ControlOptions) => watchCommand(options));

withStateDir(withTarget(program.command('reload')))
  .argument('<file>', 'the new config (JSON)')
  .description('give the running agent a new config; an invalid one is refused and the old one kept')
  .action((file: string, options: ControlOptions) => reloadCommand(file, options));

withStateDir(withTarget(program.command('stop')))
  .description('stop the running agent')
  .action((options: ControlOptions) => stopCommand(options));

program.parseAsync().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  if (message !== '') process.stderr.write(`lmk: ${message}\n`);
  process.exitCode = error instanceof CliError ? error.exitCode : 1;
});
