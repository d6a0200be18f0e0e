#!/usr/bin/env node
/**
 * `lmk-agent`: the entry point that runs on the device (or locally for --local). The host CLI
 * never imports the agent; it runs this entry, locally or through adb, and reads its output.
 */
import { Command } from 'commander';
import { registerBandsCommands } from './bands.js';
import { registerClientCommands } from './client-commands.js';
import { buildDoctorReport } from './doctor.js';
import { rootsFromEnv } from './roots.js';
import { ConfigError, runAgent, type RunOptions } from './run.js';
import { registerSupervisorCommands } from './supervisor-commands.js';
import { lmkVersion } from './version.js';
import { formatDoctorReport } from '../src/doctor-format.js';

const program = new Command('lmk-agent')
  .description('lmk agent: kills background apps under memory pressure and reaps them with process_mrelease')
  .version(lmkVersion())
  .showHelpAfterError();

program
  .command('doctor')
  .description('report what this kernel and machine offer the agent')
  .option('--json', 'print one JSON object')
  .action((options: { json?: boolean }) => {
    const report = buildDoctorReport(rootsFromEnv());
    process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : formatDoctorReport(report));
  });

program
  .command('run')
  .description('run the agent in the foreground: watch memory pressure, kill and reap (as root)')
  .option('--config <file>', 'config file (JSON); defaults are stock lmkd\'s')
  .option('--dry-run', 'decide and log victims, kill nothing')
  .option('--state-dir <dir>', 'where the control socket and kill log live (overrides the config)')
  .action(async (options: RunOptions) => {
    try {
      await runAgent(options, lmkVersion());
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      process.stderr.write(`lmk-agent: ${error.message}\n`);
      process.exitCode = 2;
    }
  });

registerClientCommands(program);
registerSupervisorCommands(program);
registerBandsCommands(program);

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`lmk-agent: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
