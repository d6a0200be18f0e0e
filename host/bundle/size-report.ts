import type { BundleManifest } from './manifest.js';

/** Bytes per top-level part of the bundle: node, lib/, agent/, node_modules/, the rest. */
export function sizesByPart(manifest: BundleManifest): Record<string, number> {
  const parts: Record<string, number> = {};
  for (const file of manifest.files) {
    const slash = file.path.indexOf('/');
    const part = slash === -1 ? (file.path === 'node' ? 'node' : 'other') : `${file.path.slice(0, slash)}/`;
    parts[part] = (parts[part] ?? 0) + file.size;
  }
  return parts;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  if (bytes >= 1_000) return `${(bytes / 1_000).toFixed(1)} kB`;
  return `${bytes} B`;
}

/** The summary `lmk bundle --json` prints: the manifest without its file list. */
export function bundleSummary(manifest: BundleManifest, outDir: string): Record<string, unknown> {
  const { files, ...rest } = manifest;
  return { outDir, ...rest, fileCount: files.length, bytesByPart: sizesByPart(manifest) };
}

/** The human size report. */
export function formatSizeReport(manifest: BundleManifest, outDir: string): string {
  const lines = [
    `lmk-agent ${manifest.version} for ${manifest.abi} (Node ${manifest.nodeVersion}), install dir ${manifest.installDir}`,
    `written to ${outDir}`,
  ];
  const parts = Object.entries(sizesByPart(manifest)).sort(([, a], [, b]) => b - a);
  for (const [part, bytes] of parts) lines.push(`  ${part.padEnd(14)} ${formatBytes(bytes).padStart(9)}`);
  lines.push(`  ${'total'.padEnd(14)} ${formatBytes(manifest.totalBytes).padStart(9)} in ${manifest.files.length} files`);
  return `${lines.join('\n')}\n`;
}
