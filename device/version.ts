import { readFileSync } from 'node:fs';

/** Set by `lmk bundle` (esbuild define) in the bundled agent; undeclared in the compiled tree. */
declare const LMK_BUNDLED_VERSION: string | undefined;

/** The package version: the one injected into a bundle, else read once from package.json next to the build. */
export function lmkVersion(): string {
  if (typeof LMK_BUNDLED_VERSION === 'string') return LMK_BUNDLED_VERSION;
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
