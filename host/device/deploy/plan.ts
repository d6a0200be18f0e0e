import type { BundleManifest } from '../../bundle/manifest.js';
import type { PayloadFile } from './payload.js';
import type { RemoteState } from './remote-state.js';

export interface DeployPlan {
  readonly push: readonly PayloadFile[];
  readonly skip: readonly PayloadFile[];
  /** Paths the device's last manifest lists and the new one does not. */
  readonly stale: readonly string[];
}

/**
 * What to push: every file whose sha256 or mode differs from the device's last manifest, or that
 * is missing there or has another size (the manifest is pushed last, so it only lists files a
 * deploy finished). What to delete: what only the old manifest lists.
 */
export function planDeploy(files: readonly PayloadFile[], manifest: BundleManifest, remote: RemoteState): DeployPlan {
  const before = new Map((remote.manifest?.files ?? []).map((file) => [file.path, file]));
  const push: PayloadFile[] = [];
  const skip: PayloadFile[] = [];
  for (const file of files) {
    const old = before.get(file.path);
    const same = old !== undefined && old.sha256 === file.sha256 && old.executable === file.executable && remote.sizes.get(file.path) === file.size;
    (same ? skip : push).push(file);
  }
  const wanted = new Set(manifest.files.map((file) => file.path));
  const stale = [...before.keys()].filter((path) => !wanted.has(path));
  return { push, skip, stale };
}
