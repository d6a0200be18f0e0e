import { chmodSync, copyFileSync, lstatSync, mkdirSync, readlinkSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CliError } from '../cli-error.js';
import type { AbiTarget } from './abi.js';
import { checkStamped, stampedDir } from './cache.js';
import { debCandidates, enableArchitecture, extractDeb, fetchDeb } from './debian-packages.js';
import type { Progress } from './progress.js';

/** Debian packages that hold glibc's loader and the libraries the official Node build needs. */
const PACKAGES = ['libc6', 'libstdc++6', 'libgcc-s1'] as const;

/** Libraries (by soname) node needs, and what they need, plus the loader. */
export function glibcLibraries(target: AbiTarget): string[] {
  return ['libc.so.6', 'libm.so.6', 'libdl.so.2', 'libpthread.so.0', 'libstdc++.so.6', 'libgcc_s.so.1', target.loader];
}

export interface GlibcRuntime {
  /** Folder whose `lib/` holds the libraries, ready to copy. */
  readonly dir: string;
  /** Which Debian packages they came from, e.g. `libc6=2.36-9+deb12u14 libstdc++6=12.2.0-14+deb12u1 …`. */
  readonly packages: string;
}

/** Follows symlinks inside an unpacked package tree, whose absolute links point into that tree. */
function resolveInside(root: string, path: string): string | null {
  let current = path;
  for (let hops = 0; hops < 16; hops++) {
    let stat;
    try {
      stat = lstatSync(current);
    } catch {
      return null;
    }
    if (!stat.isSymbolicLink()) return stat.isFile() ? current : null;
    const target = readlinkSync(current);
    current = target.startsWith('/') ? join(root, target) : join(dirname(current), target);
  }
  return null;
}

function findLibrary(root: string, target: AbiTarget, soname: string): string {
  const dirs = [`lib/${target.triplet}`, `usr/lib/${target.triplet}`, 'lib', 'lib64', 'usr/lib'];
  for (const dir of dirs) {
    const found = resolveInside(root, join(root, dir, soname));
    if (found) return found;
  }
  throw new CliError(`${soname} is in none of the Debian packages ${PACKAGES.join(', ')} for ${target.debArch}`);
}

/**
 * glibc's loader and libraries for the ABI, from Debian's packages (apt-get download, dpkg-deb -x),
 * cached as `<cache>/glibc/<arch>/lib/` and rebuilt when apt's candidate versions change. When apt
 * has no lists for the architecture, a whole cached copy is used as it is; without one, the
 * architecture is added to dpkg and apt-get update run (as root only).
 */
export async function glibcRuntime(target: AbiTarget, cacheDir: string, progress: Progress): Promise<GlibcRuntime> {
  const dir = join(cacheDir, 'glibc', target.debArch);
  let found = await debCandidates(PACKAGES, target.debArch);
  if (!found) {
    const cached = await checkStamped(dir);
    if (cached.ok) {
      progress(`apt has no ${target.debArch} package lists; using the cached glibc (${cached.key})`);
      return { dir, packages: cached.key };
    }
    await enableArchitecture(target.debArch, progress);
    found = await debCandidates(PACKAGES, target.debArch);
    if (!found) throw new CliError(`apt knows no ${PACKAGES.join(', ')} for ${target.debArch}, even after apt-get update`);
  }
  const packages = found.map((candidate) => `${candidate.name}=${candidate.version}`).join(' ');
  const debs = found;
  await stampedDir(dir, packages, `glibc ${target.debArch}`, progress, async (into) => {
    const unpacked = join(into, 'unpacked');
    for (const candidate of debs) {
      const deb = await fetchDeb(cacheDir, candidate, progress);
      progress(`extracting ${candidate.filename}`);
      await extractDeb(deb, unpacked);
    }
    mkdirSync(join(into, 'lib'));
    for (const soname of glibcLibraries(target)) {
      const destination = join(into, 'lib', soname);
      copyFileSync(findLibrary(unpacked, target, soname), destination);
      chmodSync(destination, 0o755);
    }
    rmSync(unpacked, { recursive: true, force: true });
  });
  return { dir, packages };
}
