import { statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { listFiles } from './cache.js';
import { hashFile } from './hash.js';

export const MANIFEST_FILE = 'manifest.json';

export const BundleFileSchema = z.object({
  /** Relative to the bundle's root, `/`-separated. */
  path: z.string().min(1),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Push with mode 0755 (else 0644). */
  executable: z.boolean(),
});

/**
 * What a bundle holds, for the deploy step: it pushes only files whose sha256 differs from the
 * device's copy. Deterministic for the same inputs (no timestamps), so an unchanged bundle is an
 * unchanged manifest.
 */
export const BundleManifestSchema = z.object({
  schema: z.literal(1),
  name: z.literal('lmk-agent'),
  version: z.string(),
  abi: z.string(),
  nodeVersion: z.string(),
  /** Absolute path on the device the bundle must live at (node's PT_INTERP points into it). */
  installDir: z.string().startsWith('/'),
  /** The script to run, relative to installDir. */
  launcher: z.string(),
  /** Where the native parts came from: Debian packages, koffi. */
  sources: z.object({ glibc: z.string(), koffi: z.string() }),
  totalBytes: z.number().int().nonnegative(),
  files: z.array(BundleFileSchema),
});

export type BundleFile = z.infer<typeof BundleFileSchema>;
export type BundleManifest = z.infer<typeof BundleManifestSchema>;

/** Every file under the bundle folder except the manifest itself, hashed. */
export async function describeFiles(dir: string): Promise<BundleFile[]> {
  const files: BundleFile[] = [];
  for (const path of listFiles(dir)) {
    if (path === MANIFEST_FILE) continue;
    const stat = statSync(join(dir, path));
    files.push({ path: path.split('\\').join('/'), size: stat.size, sha256: await hashFile(join(dir, path), 'sha256'), executable: (stat.mode & 0o100) !== 0 });
  }
  return files;
}
