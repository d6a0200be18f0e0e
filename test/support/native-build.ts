import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Compiles a C helper of ours with the system cc (once per source change) and returns its path. */
export function buildC(sourceFromRepoRoot: string): string {
  const source = join(REPO_ROOT, sourceFromRepoRoot);
  const outDir = join(tmpdir(), 'lmk-test-bin');
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, `${basename(source, '.c')}-${Math.floor(statSync(source).mtimeMs)}`);
  try {
    statSync(out);
  } catch {
    execFileSync('cc', ['-O2', '-Wall', '-o', out, source], { stdio: 'inherit' });
  }
  return out;
}
