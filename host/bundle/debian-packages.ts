import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CliError } from '../cli-error.js';
import { tempSibling } from './cache.js';
import { exec, execOk } from './exec.js';
import { hashFile } from './hash.js';
import type { Progress } from './progress.js';

/** What apt would install for a package of an architecture: the version and its .deb's hash. */
export interface DebCandidate {
  readonly name: string;
  readonly debArch: string;
  readonly version: string;
  readonly filename: string;
  readonly sha256: string;
}

function field(record: string, key: string): string | undefined {
  return new RegExp(`^${key}: (.+)$`, 'm').exec(record)?.[1]?.trim();
}

/**
 * apt's candidates for `name:debArch` of each name, from the local package lists (one apt-cache
 * call: each loads all of apt's lists, over a second here), or null if apt lacks any of them.
 */
export async function debCandidates(names: readonly string[], debArch: string): Promise<DebCandidate[] | null> {
  const shown = await exec('apt-cache', ['show', '--no-all-versions', ...names.map((name) => `${name}:${debArch}`)]);
  const records = shown.stdout.split(/\n\s*\n/);
  const found: DebCandidate[] = [];
  for (const name of names) {
    const record = records.find((text) => field(text, 'Package') === name && field(text, 'Architecture') === debArch);
    const version = record && field(record, 'Version');
    const filename = record && field(record, 'Filename');
    const sha256 = record && field(record, 'SHA256');
    if (!version || !filename || !sha256) return null;
    found.push({ name, debArch, version, filename: basename(filename), sha256 });
  }
  return found;
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/**
 * Makes apt know the packages of a foreign architecture (`dpkg --add-architecture` and
 * `apt-get update`), which only root may do.
 */
export async function enableArchitecture(debArch: string, progress: Progress): Promise<void> {
  const native = (await execOk('dpkg', ['--print-architecture'])).stdout.trim();
  const foreign = (await execOk('dpkg', ['--print-foreign-architectures'])).stdout.split('\n').map((line) => line.trim());
  const steps = native === debArch || foreign.includes(debArch) ? 'apt-get update' : `dpkg --add-architecture ${debArch} && apt-get update`;
  if (!isRoot()) {
    throw new CliError(`apt has no ${debArch} package lists; run \`${steps}\` as root once, or run lmk bundle as root`);
  }
  if (steps !== 'apt-get update') {
    progress(`adding the ${debArch} architecture to dpkg`);
    await execOk('dpkg', ['--add-architecture', debArch]);
  }
  progress('apt-get update');
  await execOk('apt-get', ['update', '-q'], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
}

/**
 * A Debian package's .deb, fetched with `apt-get download` into `<cache>/deb/<arch>/` and checked
 * against the SHA256 in apt's lists; a cached .deb that does not match is fetched again.
 */
export async function fetchDeb(cacheDir: string, candidate: DebCandidate, progress: Progress): Promise<string> {
  const dir = join(cacheDir, 'deb', candidate.debArch);
  const deb = join(dir, candidate.filename);
  const spec = `${candidate.name}:${candidate.debArch}=${candidate.version}`;
  if (existsSync(deb)) {
    if ((await hashFile(deb, 'sha256')) === candidate.sha256) return deb;
    progress(`cache: ${candidate.filename} is corrupt (sha256 mismatch), fetching it again`);
  } else {
    progress(`downloading ${spec} (apt-get download)`);
  }
  const temp = tempSibling(join(dir, 'download'));
  mkdirSync(temp, { recursive: true });
  try {
    await execOk('apt-get', ['download', '-q', spec], { cwd: temp });
    const fetched = readdirSync(temp).filter((file) => file.endsWith('.deb'));
    const first = fetched[0];
    if (fetched.length !== 1 || first === undefined) throw new CliError(`apt-get download ${spec} wrote ${fetched.length} .deb files`);
    if ((await hashFile(join(temp, first), 'sha256')) !== candidate.sha256) {
      throw new CliError(`apt-get download ${spec}: the .deb does not match the SHA256 in apt's lists`);
    }
    renameSync(join(temp, first), deb);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  return deb;
}

/** Unpacks a .deb's files (`dpkg-deb -x`, no maintainer scripts, no root needed). */
export async function extractDeb(deb: string, into: string): Promise<void> {
  mkdirSync(into, { recursive: true });
  await execOk('dpkg-deb', ['-x', deb, into]);
}
