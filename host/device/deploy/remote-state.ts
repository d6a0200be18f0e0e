import { shellQuote } from '../../adb/shell-quote.js';
import { BundleManifestSchema, MANIFEST_FILE, type BundleManifest } from '../../bundle/manifest.js';
import type { Device } from '../device.js';

/** The deployed config, next to the bundle. */
export const CONFIG_FILE = 'config.json';

/** A bundle path from a manifest we did not write: relative, plain, no . or .. parts. */
export function isPlainRelativePath(path: string): boolean {
  return /^[A-Za-z0-9._+@\-/]+$/.test(path) && !path.startsWith('/') && path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/** What the install dir on the device holds now. */
export interface RemoteState {
  /** Size of every regular file (below the state dir excepted), by path relative to the install dir. */
  readonly sizes: ReadonlyMap<string, number>;
  /** The manifest of the last complete deploy; undefined when absent or not a valid manifest. */
  readonly manifest: BundleManifest | undefined;
  readonly manifestBytes: Buffer | undefined;
  readonly config: Buffer | undefined;
}

/** One shell: every file's size under the install dir (the agent's state dir left out). */
async function remoteSizes(device: Device, installDir: string, stateDir: string): Promise<Map<string, number>> {
  const prune = stateDir.startsWith(`${installDir}/`) ? `-path ${shellQuote(`.${stateDir.slice(installDir.length)}`)} -prune -o ` : '';
  const run = await device.shell(`cd ${shellQuote(installDir)} 2>/dev/null || exit 0; find . ${prune}-type f -exec stat -c '%s %n' {} +`, { timeoutMs: 60_000 });
  const sizes = new Map<string, number>();
  // A failure part-way (a folder it may not read) still lists the rest; what is missing gets pushed.
  for (const line of run.output.split('\n')) {
    const match = /^(\d+) \.\/(.+)$/.exec(line.trim());
    if (match?.[1] !== undefined && match[2] !== undefined) sizes.set(match[2], Number(match[1]));
  }
  return sizes;
}

function parseManifest(bytes: Buffer, installDir: string): BundleManifest | undefined {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = BundleManifestSchema.safeParse(json);
  if (!parsed.success || parsed.data.installDir !== installDir) return undefined;
  return parsed.data.files.every((file) => isPlainRelativePath(file.path)) ? parsed.data : undefined;
}

/** Reads the install dir's state: sizes, the last manifest (garbage counts as none), the config. */
export async function readRemoteState(device: Device, installDir: string, stateDir: string): Promise<RemoteState> {
  const sizes = await remoteSizes(device, installDir, stateDir);
  const manifestBytes = sizes.has(MANIFEST_FILE) ? await device.pull(`${installDir}/${MANIFEST_FILE}`) : undefined;
  const config = sizes.has(CONFIG_FILE) ? await device.pull(`${installDir}/${CONFIG_FILE}`) : undefined;
  return { sizes, manifest: manifestBytes && parseManifest(manifestBytes, installDir), manifestBytes, config };
}
