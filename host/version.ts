import { readFileSync } from 'node:fs';

/** The CLI's version, from the package.json of this installation. */
export function cliVersion(): string {
  try {
    const parsed: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'version' in parsed && typeof parsed.version === 'string') return parsed.version;
  } catch {
    // reported as unknown
  }
  return 'unknown';
}
