import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from '../cli-error.js';
import { tempSibling, writeFileAtomic } from './cache.js';
import { exec, execOk, reasonOf, type ExecResult } from './exec.js';
import { integrityOf } from './hash.js';
import type { Progress } from './progress.js';

/** Where a package's tarball is cached: `<cache>/npm/<scope>-<name>-<version>.tgz`. */
export function packedPath(cacheDir: string, name: string, version: string): string {
  return join(cacheDir, 'npm', `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`);
}

function packedIntegrity(output: string, spec: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(output);
  } catch {
    throw new CliError(`npm pack ${spec} printed no JSON`);
  }
  const first: unknown = Array.isArray(parsed) ? parsed[0] : undefined;
  if (typeof first !== 'object' || first === null || !('integrity' in first) || !('filename' in first)) {
    throw new CliError(`npm pack ${spec} did not say what it wrote`);
  }
  const { integrity, filename } = first;
  if (typeof integrity !== 'string' || !integrity.startsWith('sha512-') || typeof filename !== 'string') {
    throw new CliError(`npm pack ${spec} gave no sha512 integrity`);
  }
  return `${integrity}\n${filename}`;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ENETUNREACH', 'EHOSTUNREACH']);

/** npm --json reports a failure as `{"error": {"code", "summary"}}` on stdout. */
function npmFailure(result: ExecResult): string {
  try {
    const parsed: unknown = JSON.parse(result.stdout);
    if (typeof parsed === 'object' && parsed !== null && 'error' in parsed && typeof parsed.error === 'object' && parsed.error !== null) {
      const { error } = parsed;
      const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
      const summary = 'summary' in error && typeof error.summary === 'string' ? error.summary : '';
      const hint = NETWORK_CODES.has(code) ? ' (no network, or the npm registry is unreachable)' : '';
      return `${[code, summary].filter(Boolean).join(': ')}${hint}`;
    }
  } catch {
    // not JSON: fall back to its error lines
  }
  return reasonOf(result);
}

/**
 * A registry package's tarball, fetched once with `npm pack` (which checks it against the
 * registry's integrity) and kept with that integrity beside it. A cached tarball whose sha512 no
 * longer matches (truncated, edited) is fetched again.
 */
export async function npmPack(cacheDir: string, name: string, version: string, progress: Progress): Promise<string> {
  const spec = `${name}@${version}`;
  const tgz = packedPath(cacheDir, name, version);
  const sidecar = `${tgz}.integrity`;
  if (existsSync(tgz) && existsSync(sidecar)) {
    if ((await integrityOf(tgz)) === readFileSync(sidecar, 'utf8').trim()) return tgz;
    progress(`cache: ${spec} tarball is corrupt (sha512 mismatch), fetching it again`);
  } else {
    progress(`downloading ${spec} (npm pack)`);
  }
  const temp = tempSibling(join(cacheDir, 'npm', 'pack'));
  mkdirSync(temp, { recursive: true });
  try {
    const packed = await exec('npm', ['pack', spec, '--json', '--pack-destination', temp, '--ignore-scripts'], { cwd: temp });
    if (packed.code !== 0) throw new CliError(`npm pack ${spec} failed: ${npmFailure(packed)}`);
    const [integrity = '', filename = ''] = packedIntegrity(packed.stdout, spec).split('\n');
    const file = join(temp, filename);
    if ((await integrityOf(file)) !== integrity) throw new CliError(`npm pack ${spec}: the tarball does not match its integrity ${integrity}`);
    writeFileAtomic(sidecar, `${integrity}\n`);
    renameSync(file, tgz);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  return tgz;
}

/** Extracts some members of an npm tarball (paths inside it start with `package/`) into a folder. */
export async function extractFromTarball(tgz: string, into: string, members: readonly string[]): Promise<void> {
  mkdirSync(into, { recursive: true });
  await execOk('tar', ['-xzf', tgz, '-C', into, '--no-same-owner', ...members.map((member) => `package/${member}`)]);
}
