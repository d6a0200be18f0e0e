import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashFile } from './hash.js';
import type { Progress } from './progress.js';

/** The project's download and build cache for bundles (`.cache/` is gitignored). */
export const DEFAULT_CACHE_DIR = fileURLToPath(new URL('../../../.cache/bundle', import.meta.url));

/** A sibling path to build into and rename over the real one, so a crash never leaves half a file. */
export function tempSibling(path: string): string {
  return `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
}

export function writeFileAtomic(path: string, data: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = tempSibling(path);
  writeFileSync(temp, data);
  renameSync(temp, path);
}

/** Every regular file under a folder, as paths relative to it, sorted. */
export function listFiles(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return listFiles(root, path);
      return entry.isFile() ? [relative(root, path)] : [];
    })
    .sort();
}

const STAMP = '.stamp.json';

interface Stamp {
  readonly key: string;
  readonly files: Readonly<Record<string, string>>;
}

function readStamp(dir: string): Stamp | null {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(dir, STAMP), 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || !('key' in parsed) || !('files' in parsed)) return null;
    const { key, files } = parsed;
    if (typeof key !== 'string' || typeof files !== 'object' || files === null) return null;
    const entries = Object.entries(files);
    if (!entries.every(([, hash]) => typeof hash === 'string')) return null;
    return { key, files: Object.fromEntries(entries) as Record<string, string> };
  } catch {
    return null;
  }
}

export type StampCheck = { readonly ok: true; readonly key: string } | { readonly ok: false; readonly why: string };

/** Is this cached folder whole: a stamp, and every file in it with the size and hash it records? */
export async function checkStamped(dir: string): Promise<StampCheck> {
  const stamp = readStamp(dir);
  if (!stamp) return { ok: false, why: 'missing' };
  let present: string[];
  try {
    present = listFiles(dir).filter((file) => file !== STAMP);
  } catch {
    return { ok: false, why: 'missing' };
  }
  const recorded = Object.keys(stamp.files).sort();
  if (present.join('\n') !== recorded.join('\n')) return { ok: false, why: 'corrupt (files added or missing)' };
  for (const file of recorded) {
    if ((await hashFile(join(dir, file), 'sha256')) !== stamp.files[file]) return { ok: false, why: `corrupt (${file} changed)` };
  }
  return { ok: true, key: stamp.key };
}

/**
 * A cached folder built by `build` and recorded with the hash of every file. It is used as it is
 * when whole and built for `key`; missing, changed or built for another key, it is built again.
 */
export async function stampedDir(
  dir: string,
  key: string,
  what: string,
  progress: Progress,
  build: (into: string) => Promise<void>,
): Promise<string> {
  const check = await checkStamped(dir);
  if (check.ok && check.key === key) return dir;
  progress(check.ok ? `${what}: cached for ${check.key}, building for ${key}` : `${what}: cache ${check.why}, building`);
  const temp = tempSibling(dir);
  mkdirSync(temp, { recursive: true });
  try {
    await build(temp);
    const files: Record<string, string> = {};
    for (const file of listFiles(temp)) files[file] = await hashFile(join(temp, file), 'sha256');
    writeFileSync(join(temp, STAMP), `${JSON.stringify({ key, files }, null, 2)}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(temp, dir);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  return dir;
}

/** Size of a file, or null when it is not there. */
export function sizeOf(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}
