import { CliError } from '../../cli-error.js';
import { shellQuote } from '../../adb/shell-quote.js';

/** Termux's node, for --runtime termux. */
export const TERMUX_NODE = '/data/data/com.termux/files/usr/bin/node';
const TERMUX_LIB = '/data/data/com.termux/files/usr/lib';

/**
 * Which Node runs the agent on the device: the bundled one (official build + Debian's glibc), or
 * one already there: Termux's, or any node binary by its path.
 */
export type DeployRuntime = { readonly kind: 'bundled' } | { readonly kind: 'termux'; readonly node: string } | { readonly kind: 'path'; readonly node: string };

/** --runtime bundled | termux | /abs/path/to/node */
export function parseRuntime(text: string | undefined): DeployRuntime {
  if (text === undefined || text === 'bundled') return { kind: 'bundled' };
  if (text === 'termux') return { kind: 'termux', node: TERMUX_NODE };
  if (!text.startsWith('/')) throw new CliError(`--runtime must be bundled, termux or the absolute path of a node binary on the device, not '${text}'`);
  if (!/^[A-Za-z0-9._+\-/]+$/.test(text) || text.split('/').some((part) => part === '..')) {
    throw new CliError(`--runtime path '${text}' may only contain letters, digits and . _ + - /`);
  }
  return { kind: 'path', node: text };
}

export function describeRuntime(runtime: DeployRuntime): string {
  return runtime.kind === 'bundled' ? 'bundled' : runtime.kind === 'termux' ? 'termux' : runtime.node;
}

/** Bundle files a device runtime does without: the bundled node and its glibc. */
export function bundledOnly(path: string): boolean {
  return path === 'node' || path.startsWith('lib/');
}

/**
 * The launcher for a node already on the device: checks it is there and runs the agent with it.
 * For Termux, its libraries are named (its binaries are built to find them, this is for older
 * ones). The bundled runtime keeps the bundle's own launcher.
 */
export function deviceNodeLauncher(runtime: Exclude<DeployRuntime, { kind: 'bundled' }>, installDir: string, version: string): string {
  const hint = runtime.kind === 'termux' ? 'install it in Termux: pkg install nodejs' : 'deploy again with another --runtime';
  return `#!/system/bin/sh
# lmk-agent ${version}: the lmk agent on ${runtime.kind === 'termux' ? "Termux's Node" : 'a Node already on this device'}.
d=${shellQuote(installDir)}
node=${shellQuote(runtime.node)}
if [ ! -x "$node" ]; then
  echo "lmk-agent: no node at $node (${hint})" >&2
  exit 127
fi
${runtime.kind === 'termux' ? `export LD_LIBRARY_PATH=${shellQuote(TERMUX_LIB)}\n` : ''}exec "$node" "$d/agent/main.js" "$@"
`;
}
