import { readFileSync } from 'node:fs';

/** The package version, read once from package.json next to the build (or the bundle). */
export function lmkVersion(): string {
  for (const candidate of ['../../package.json', '../package.json']) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(new URL(candidate, import.meta.url), 'utf8'));
      if (typeof parsed === 'object' && parsed !== null && 'version' in parsed && typeof parsed.version === 'string') return parsed.version;
    } catch {
      // try the next place
    }
  }
  return 'unknown';
}
