import { CliError } from '../cli-error.js';
import type { NodePlatform } from './koffi-build.js';

/**
 * Which node runs the agent: the bundled one (official Linux build + Debian's glibc, shipped by
 * lmk), Termux's, or a node already on the device by its path. A path's platform is what that
 * node reports as process.platform, when known (lmk deploy asks it).
 */
export type RuntimeSpec = 'bundled' | 'termux' | { readonly path: string; readonly platform?: NodePlatform };

/** --runtime bundled | termux | /abs/path/to/node */
export function parseRuntime(text: string | undefined): RuntimeSpec {
  if (text === undefined || text === 'bundled') return 'bundled';
  if (text === 'termux') return 'termux';
  if (!text.startsWith('/')) throw new CliError(`--runtime must be bundled, termux or the absolute path of a node binary on the device, not '${text}'`);
  if (!/^[A-Za-z0-9._+\-/]+$/.test(text) || text.split('/').some((part) => part === '..')) {
    throw new CliError(`--runtime path '${text}' may only contain letters, digits and . _ + - /`);
  }
  return { path: text };
}

export function runtimeKind(spec: RuntimeSpec): 'bundled' | 'termux' | 'path' {
  return typeof spec === 'string' ? spec : 'path';
}

/** As --runtime takes it: bundled, termux, or the path. */
export function describeRuntime(spec: RuntimeSpec): string {
  return typeof spec === 'string' ? spec : spec.path;
}
