import { androidAbi } from '../../src/doctor-report.js';
import { abiTarget, type AbiTarget } from '../bundle/abi.js';
import { DEFAULT_INSTALL_DIR } from '../bundle/launcher.js';
import { CliError } from '../cli-error.js';
import { GLIBC_ENV, PLAIN_ENV, TERMUX_ENV, type AgentEnv } from './agent-env.js';
import { koffiBuild, type KoffiBuild, type NodeArch, type NodePlatform } from './koffi-build.js';
import { runtimeKind, type RuntimeSpec } from './spec.js';
import { isTermuxPath, TERMUX_NODE } from './termux.js';

/** Where the agent is to run, and on which node. */
export interface RuntimeTarget {
  /** The system the agent runs on: a phone ('android') or a Linux machine. */
  readonly platform: NodePlatform;
  /** Its CPU as Node's process.arch names it (arm64, x64, arm, ia32, …). */
  readonly arch?: string;
  /** Its Android ABI (ro.product.cpu.abi); wins over `arch`, and must agree with it. */
  readonly abi?: string;
  readonly runtime: RuntimeSpec;
  /** Where the agent is installed there (the bundled node's ELF interpreter points into it). */
  readonly installDir?: string;
}

/** The one answer to "how does the agent run there". */
export interface RuntimeSelection {
  readonly kind: 'bundled' | 'termux' | 'path';
  /** The ABI the payload is built for (its node, glibc and koffi binaries). */
  readonly abi: AbiTarget;
  /** process.platform of the node that runs the agent: what koffi's loader keys on. */
  readonly nodePlatform: NodePlatform;
  /** The koffi binary that node must be able to load (shipped in node_modules/). */
  readonly koffi: KoffiBuild;
  /** Absolute path of that node. */
  readonly node: string;
  /** Whether lmk ships node and glibc (bundled) or uses a node that is already there. */
  readonly shipsNode: boolean;
  /** The `lmk-agent` script to write: the bundle's own, or one that runs a node already there. */
  readonly launcher: 'bundled' | 'device-node';
  readonly env: AgentEnv;
}

/** The target's ABI: from `abi`, else from `arch`; one lmk has no build for is refused. */
function targetAbi(target: RuntimeTarget): AbiTarget {
  const name = target.abi ?? (target.arch === undefined ? undefined : androidAbi(target.arch));
  if (name === undefined) throw new CliError('the target names neither an ABI nor a CPU architecture');
  let abi: AbiTarget;
  try {
    abi = abiTarget(name);
  } catch (error) {
    if (error instanceof CliError && target.abi === undefined) throw new CliError(`CPU architecture ${target.arch} is not supported yet (supported: arm64, x64)`);
    throw error;
  }
  if (target.arch !== undefined && target.abi !== undefined && target.arch !== abi.nodeArch) {
    throw new CliError(`ABI ${target.abi} is not CPU architecture ${target.arch}`);
  }
  return abi;
}

/**
 * For a target, which koffi build must be loadable, which node runs the agent, whether lmk ships
 * that node, and which launcher to write. Pure: it looks at nothing but its argument.
 *
 * - bundled: the official Linux Node + Debian's glibc at `<installDir>/node` (on a phone too: it
 *   is a glibc program, process.platform 'linux'), so koffi's linux build;
 * - termux: Termux's node (bionic, process.platform 'android'), so koffi's android build;
 * - a path: that node, with the build of the platform it reports (else: android inside Termux's
 *   folder, linux elsewhere).
 * ABIs koffi or lmk have no build for (armeabi-v7a, x86, …) are refused as "not supported yet".
 */
export function selectRuntime(target: RuntimeTarget): RuntimeSelection {
  const abi = targetAbi(target);
  const arch: NodeArch = abi.nodeArch;
  const spec = target.runtime;
  const kind = runtimeKind(spec);
  if (spec === 'bundled') {
    return {
      kind,
      abi,
      nodePlatform: 'linux',
      koffi: koffiBuild('linux', arch),
      node: `${target.installDir ?? DEFAULT_INSTALL_DIR}/node`,
      shipsNode: true,
      launcher: 'bundled',
      env: GLIBC_ENV,
    };
  }
  if (spec === 'termux') {
    if (target.platform !== 'android') throw new CliError('--runtime termux is for Android phones: Termux runs nowhere else');
    return { kind, abi, nodePlatform: 'android', koffi: koffiBuild('android', arch), node: TERMUX_NODE, shipsNode: false, launcher: 'device-node', env: TERMUX_ENV };
  }
  const inTermux = isTermuxPath(spec.path);
  if (spec.platform === 'android' && target.platform !== 'android') throw new CliError(`${spec.path} is an Android node; it runs on a phone only`);
  const nodePlatform = spec.platform ?? (target.platform === 'android' && inTermux ? 'android' : 'linux');
  const env = nodePlatform === 'android' && inTermux ? TERMUX_ENV : PLAIN_ENV;
  return { kind, abi, nodePlatform, koffi: koffiBuild(nodePlatform, arch), node: spec.path, shipsNode: false, launcher: 'device-node', env };
}
