import { join } from 'node:path';
import type { BundleFile, BundleManifest } from '../../bundle/manifest.js';

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
 * The built bundle's files, to push. The bundle is built for the runtime (host/runtime/select.ts):
 * for the bundled Node it holds node, glibc and koffi's linux build; for Termux's node it holds no
 * node and no glibc, koffi's android build, and a launcher that runs Termux's node.
 */
export function deployPayload(bundleDir: string, manifest: BundleManifest): Payload {
  return { manifest, files: manifest.files.map((file) => ({ ...file, localPath: join(bundleDir, file.path) })) };
}
