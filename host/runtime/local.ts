import { fileURLToPath } from 'node:url';
import { DEFAULT_STATE_DIR } from '../../src/control-protocol.js';
import { shellQuote, shellWords } from '../adb/shell-quote.js';
import { DEVICE_STATE_DIR } from '../device/device.js';
import { envLines, type AgentEnv } from './agent-env.js';
import { selectRuntime } from './select.js';
import { runsInTermux } from './termux.js';

/** The agent's entry in this installation (dist/device/main.js next to dist/host/), run for --local. */
export const LOCAL_AGENT_ENTRY = fileURLToPath(new URL('../../device/main.js', import.meta.url));

/** Variables the agent reads (device/roots.ts, device/logger.ts), passed on by value through su. */
const AGENT_VARIABLES = ['LMK_PROC_ROOT', 'LMK_SYSFS_ROOT', 'LMK_LOG_LEVEL'] as const;

/** What lmk knows about the machine it runs on. */
export interface LocalFacts {
  readonly platform: string;
  readonly arch: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The node running lmk: npm installed koffi's build for exactly this one. */
  readonly execPath: string;
  readonly uid: number | undefined;
}

export function currentFacts(): LocalFacts {
  return { platform: process.platform, arch: process.arch, env: process.env, execPath: process.execPath, uid: process.getuid?.() };
}

/**
 * How --local commands run the agent here.
 * - linux: a Linux machine; the agent runs on this node as it is, with /bin/sh, and root is
 *   whoever runs lmk (it must be root already).
 * - termux: lmk runs inside Termux on a phone (its node says 'android', or $PREFIX is Termux's).
 *   The Termux user is no root, so the agent runs through `su` (unless lmk already runs as root),
 *   on this same node (Termux's) with this installation's dist/device/main.js and the node_modules
 *   npm installed for it (koffi's android build), in a clean environment; commands go to Android's
 *   /system/bin/sh, as there is no /bin/sh; the state dir is the one lmk deploy uses on a phone,
 *   since /run does not exist on Android.
 */
export interface LocalRuntime {
  readonly kind: 'linux' | 'termux';
  readonly shell: string;
  readonly root: 'self' | 'su';
  readonly node: string;
  readonly entry: string;
  readonly env: AgentEnv;
  readonly defaultStateDir: string;
}

export function localRuntime(facts: LocalFacts = currentFacts(), entry = LOCAL_AGENT_ENTRY): LocalRuntime {
  if (!runsInTermux(facts.platform, facts.env)) {
    return { kind: 'linux', shell: '/bin/sh', root: 'self', node: facts.execPath, entry, env: { unset: [], set: {} }, defaultStateDir: DEFAULT_STATE_DIR };
  }
  // A glibc node inside Termux (process.platform 'linux') gets koffi's linux build from npm, and
  // the selection says so; one koffi has no build for is refused here, before su is asked.
  const platform = facts.platform === 'android' ? 'android' : 'linux';
  const selection = selectRuntime({ platform: 'android', arch: facts.arch, runtime: { path: facts.execPath, platform } });
  const passed: Record<string, string> = {};
  for (const name of AGENT_VARIABLES) {
    const value = facts.env[name];
    if (value !== undefined && value !== '') passed[name] = value;
  }
  return {
    kind: 'termux',
    shell: '/system/bin/sh',
    root: facts.uid === 0 ? 'self' : 'su',
    node: selection.node,
    entry,
    env: { unset: selection.env.unset, set: { ...selection.env.set, ...passed } },
    defaultStateDir: DEVICE_STATE_DIR,
  };
}

/**
 * `lmk-agent ARGS…` here as one shell command line. On Linux exactly the quoted words, as before;
 * in Termux a subshell that sets the agent's environment first (it goes through su, which may
 * reset the environment, so everything the agent needs is in the line itself).
 */
export function localAgentCommand(runtime: LocalRuntime, args: readonly string[]): string {
  const run = shellWords([runtime.node, runtime.entry, ...args]);
  if (runtime.kind === 'linux') return run;
  return `(${[...envLines(runtime.env), `exec ${run}`].join('; ')})`;
}

/** `su -c LINE`: how a Termux user runs a line as root (Magisk, KernelSU, APatch). */
export function suCommand(line: string): string {
  return `su -c ${shellQuote(line)}`;
}
