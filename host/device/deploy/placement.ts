import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { CliError } from '../../cli-error.js';
import { shellQuote, shellWords } from '../../adb/shell-quote.js';
import type { Device, ShellResult } from '../device.js';

/**
 * How files land in the install dir. `direct`: pushed there (adb's shell user owns
 * /data/local/tmp). `staged`: the dir is not writable for the shell user (a root-made install),
 * so files are pushed to a staging folder and moved into place as root, one by one, so the
 * manifest still lands last.
 */
export interface Placement {
  readonly kind: 'direct' | 'staged';
  put(localPath: string, relativePath: string, mode: number, onProgress?: (bytesSent: number) => void): Promise<void>;
  /** Runs a command with the rights needed to change the install dir. */
  run(command: string): Promise<ShellResult>;
  /** Removes the staging folder, if any. */
  close(): Promise<void>;
}

function mustSucceed(result: ShellResult, what: string, serial: string): void {
  if (result.exitCode !== 0) throw new CliError(`${what} failed on ${serial}: ${result.output.trim().split('\n').at(-1) ?? `exit ${result.exitCode}`}`);
}

/** Every folder a file of `paths` goes into, the install dir included. */
function foldersOf(installDir: string, paths: readonly string[]): string[] {
  const folders = new Set([installDir]);
  for (const path of paths) {
    for (let dir = posix.dirname(path); dir !== '.'; dir = posix.dirname(dir)) folders.add(`${installDir}/${dir}`);
  }
  return [...folders].sort();
}

/** The first folder the shell user cannot write to (the install dir made if missing), or undefined. */
async function unwritableFolder(device: Device, installDir: string, paths: readonly string[]): Promise<string | undefined> {
  const folders = shellWords(foldersOf(installDir, paths));
  const run = await device.shell(
    `mkdir -p ${shellQuote(installDir)} 2>/dev/null; for d in ${folders}; do if [ -e "$d" ] && [ ! -w "$d" ]; then echo "$d"; exit 1; fi; done; [ -d ${shellQuote(installDir)} ] || { echo ${shellQuote(installDir)}; exit 1; }`,
  );
  return run.exitCode === 0 ? undefined : run.output.trim().split('\n').at(-1) || installDir;
}

export async function choosePlacement(device: Device, installDir: string, paths: readonly string[]): Promise<Placement> {
  const unwritable = await unwritableFolder(device, installDir, paths);
  if (unwritable === undefined) {
    return {
      kind: 'direct',
      put: (localPath, relativePath, mode, onProgress) => device.push(localPath, `${installDir}/${relativePath}`, mode, onProgress),
      run: (command) => device.shell(command, { timeoutMs: 60_000 }),
      close: async () => undefined,
    };
  }
  if (!(await device.rootAvailable())) {
    throw new CliError(`${unwritable} on ${device.serial} is not writable for adb's shell user, and there is no root to write there`);
  }
  const stage = `${posix.dirname(installDir)}/.lmk-deploy-${randomBytes(6).toString('hex')}`;
  const asRoot = (command: string): Promise<ShellResult> => device.shell(command, { root: true, timeoutMs: 60_000 });
  return {
    kind: 'staged',
    put: async (localPath, relativePath, mode, onProgress) => {
      const staged = `${stage}/${relativePath}`;
      const target = `${installDir}/${relativePath}`;
      await device.push(localPath, staged, mode, onProgress);
      const moved = await asRoot(`mkdir -p ${shellQuote(posix.dirname(target))} && mv -f ${shellWords([staged, target])} && chmod ${(mode & 0o777).toString(8)} ${shellQuote(target)}`);
      mustSucceed(moved, `moving ${relativePath} into ${installDir}`, device.serial);
    },
    run: asRoot,
    close: async () => {
      await asRoot(`rm -rf ${shellQuote(stage)}`);
    },
  };
}
