import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from '../cli-error.js';
import type { AbiTarget } from './abi.js';
import { stampedDir } from './cache.js';
import { elfMachine } from './elf.js';
import { execOk } from './exec.js';
import { extractFromTarball, npmPack } from './npm-pack.js';
import type { Progress } from './progress.js';

/** The Node every bundle runs: an LTS line the official npm builds exist for on both ABIs. */
export const NODE_VERSION = '20.20.2';

/**
 * The official Node build for the ABI (npm `node-linux-<arch>`), bin/node only, stripped. Cached
 * as `<cache>/node/<package>-<version>/node`; the interpreter is patched later, per install dir.
 */
export async function strippedNode(target: AbiTarget, cacheDir: string, progress: Progress): Promise<string> {
  const dir = join(cacheDir, 'node', `${target.nodePackage}-${NODE_VERSION}`);
  const what = `${target.nodePackage}@${NODE_VERSION}`;
  await stampedDir(dir, `${what} ${target.stripTool}`, what, progress, async (into) => {
    const tgz = await npmPack(cacheDir, target.nodePackage, NODE_VERSION, progress);
    progress(`extracting bin/node from ${what}`);
    const unpacked = join(into, 'unpacked');
    await extractFromTarball(tgz, unpacked, ['bin/node']);
    const original = join(unpacked, 'package', 'bin', 'node');
    const machine = elfMachine(original);
    if (machine !== target.elfMachine) throw new CliError(`${what}: bin/node is ELF machine ${machine}, not ${target.abi}`);
    progress(`stripping node (${target.stripTool})`);
    await execOk(target.stripTool, ['-o', join(into, 'node'), original]);
    rmSync(unpacked, { recursive: true, force: true });
  });
  return join(dir, 'node');
}
