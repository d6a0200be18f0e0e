import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashFile } from '../../bundle/hash.js';
import { BundleManifestSchema, type BundleFile, type BundleManifest } from '../../bundle/manifest.js';
import { bundledOnly, describeRuntime, deviceNodeLauncher, type DeployRuntime } from './runtime.js';

/** A file to place on the device: where it is here, and its manifest entry. */
export interface PayloadFile extends BundleFile {
  readonly localPath: string;
}

/** What a deploy places: the files, and the manifest that describes exactly them. */
export interface Payload {
  readonly manifest: BundleManifest;
  readonly files: readonly PayloadFile[];
}

/**
 * The built bundle as this runtime needs it: all of it for the bundled Node; without node and
 * lib/, and with a launcher that runs the device's node, otherwise (written into `workDir`).
 */
export async function deployPayload(bundleDir: string, manifest: BundleManifest, runtime: DeployRuntime, workDir: string): Promise<Payload> {
  if (runtime.kind === 'bundled') {
    return { manifest, files: manifest.files.map((file) => ({ ...file, localPath: join(bundleDir, file.path) })) };
  }
  const launcherPath = join(workDir, manifest.launcher);
  writeFileSync(launcherPath, deviceNodeLauncher(runtime, manifest.installDir, manifest.version), { mode: 0o755 });
  const launcher: BundleFile = { path: manifest.launcher, size: Buffer.byteLength(deviceNodeLauncher(runtime, manifest.installDir, manifest.version)), sha256: await hashFile(launcherPath, 'sha256'), executable: true };
  const files: PayloadFile[] = manifest.files
    .filter((file) => !bundledOnly(file.path))
    .map((file) => (file.path === manifest.launcher ? { ...launcher, localPath: launcherPath } : { ...file, localPath: join(bundleDir, file.path) }));
  const entries = files.map(({ localPath: _localPath, ...entry }) => entry);
  return {
    manifest: BundleManifestSchema.parse({
      ...manifest,
      nodeVersion: `device node (${describeRuntime(runtime)})`,
      totalBytes: entries.reduce((sum, file) => sum + file.size, 0),
      files: entries,
    }),
    files,
  };
}
