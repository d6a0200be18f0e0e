#!/usr/bin/env node
/** `lmk`: the host CLI. It drives the agent on a device through adb, or on this machine (--local). */
import { Command, Option } from 'commander';
import { lmkVersion } from '../device/version.js';
import { CliError } from './cli-error.js';
import { doctorCommand } from './commands/doctor.js';
import type { TargetOptions } from './target.js';

function withTarget(command: Command): Command {
  return command
    .addOption(new Option('-s, --serial <serial>', 'device serial (default: $ANDROID_SERIAL, then the only device)').env('ANDROID_SERIAL'))
    .option('--local', 'act on this machine (Linux, or Termux on the phone itself) instead of a device')
    .option('--json', 'machine-readable output');
}

const program = new Command('lmk')
  .description('A userspace low-memory killer for rooted Android that reaps victims with process_mrelease(2).')
  .version(lmkVersion())
  .showHelpAfterError()
  .addHelpText('after', '\nEnvironment: LMK_PROC_ROOT and LMK_SYSFS_ROOT point --local commands at another /proc or /sys.');

withTarget(program.command('doctor'))
  .description('show what the kernel offers the agent: pidfd, process_mrelease, PSI triggers, cgroups, swap, CPU clusters')
  .action((options: TargetOptions) => doctorCommand(options));

program.parseAsync().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`lmk: ${message}\n`);
  process.exitCode = error instanceof CliError ? error.exitCode : 1;
});
