import { shellQuote } from '../adb/shell-quote.js';
import { launcherScript } from '../bundle/launcher.js';
import { envLines } from './agent-env.js';
import type { RuntimeSelection } from './select.js';

/** What to tell a user whose node is missing. */
function missingNodeHint(selection: RuntimeSelection): string {
  if (selection.kind === 'termux') return "install it in Termux: pkg install nodejs-lts; Termux's folder is readable by root only";
  return 'deploy again with another --runtime';
}

/**
 * `lmk-agent` for a node already on the device (Termux's, or one by its path): a POSIX sh script
 * for Android's /system/bin/sh that checks the node is there, gives it a clean environment (see
 * agent-env.ts) and runs the agent with it. It uses no command but the shell's own.
 */
export function deviceNodeLauncher(selection: RuntimeSelection, installDir: string, version: string): string {
  const what = selection.kind === 'termux' ? "Termux's Node" : 'a Node already on this device';
  return [
    '#!/system/bin/sh',
    `# lmk-agent ${version}: the lmk agent on ${what}, with koffi's ${selection.koffi.dir} build.`,
    `d=${shellQuote(installDir)}`,
    `node=${shellQuote(selection.node)}`,
    'if [ ! -x "$node" ]; then',
    `  echo "lmk-agent: no node at $node (${missingNodeHint(selection)})" >&2`,
    '  exit 127',
    'fi',
    ...envLines(selection.env),
    'exec "$node" "$d/agent/main.js" "$@"',
    '',
  ].join('\n');
}

/** The launcher the selection calls for: the bundle's own, or one for a node already there. */
export function agentLauncher(selection: RuntimeSelection, installDir: string, version: string): string {
  return selection.launcher === 'bundled' ? launcherScript(installDir, selection.abi.loader, version) : deviceNodeLauncher(selection, installDir, version);
}
