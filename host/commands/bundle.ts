import { androidAbi } from '../../src/doctor-report.js';
import { buildBundle } from '../bundle/build.js';
import { bundleSummary, formatSizeReport } from '../bundle/size-report.js';
import { CliError } from '../cli-error.js';
import type { TargetOptions } from '../target.js';

export interface BundleCommandOptions extends TargetOptions {
  readonly abi?: string;
  readonly out?: string;
  readonly installDir?: string;
  readonly cache?: string;
}

function chosenAbi(options: BundleCommandOptions): string {
  if (options.abi) return options.abi;
  if (options.local) return androidAbi(process.arch);
  throw new CliError('--abi is required (arm64-v8a or x86_64); reading it from a device needs the adb transport, which this version does not have yet');
}

export async function bundleCommand(options: BundleCommandOptions): Promise<void> {
  const built = await buildBundle({
    abi: chosenAbi(options),
    ...(options.out !== undefined && { outDir: options.out }),
    ...(options.installDir !== undefined && { installDir: options.installDir }),
    ...(options.cache !== undefined && { cacheDir: options.cache }),
    progress: (line) => process.stderr.write(`lmk bundle: ${line}\n`),
  });
  process.stdout.write(
    options.json ? `${JSON.stringify(bundleSummary(built.manifest, built.outDir), null, 2)}\n` : formatSizeReport(built.manifest, built.outDir),
  );
}
