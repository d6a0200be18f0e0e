import { shellQuote } from '../../adb/shell-quote.js';
import { CliError } from '../../cli-error.js';
import type { Progress } from '../../bundle/progress.js';
import { envLines } from '../../runtime/agent-env.js';
import type { NodePlatform } from '../../runtime/koffi-build.js';
import { selectRuntime, type RuntimeSelection } from '../../runtime/select.js';
import { describeRuntime, type RuntimeSpec } from '../../runtime/spec.js';
import type { Device } from '../device.js';

/** What a node reports about itself: koffi's loader picks its build from exactly these. */
export interface NodeIdentity {
  readonly platform: string;
  readonly arch: string;
}

const REPORT = 'process.stdout.write(process.platform + " " + process.arch + "\\n")';

/** The node's own `platform arch` line among what it printed (su and linker warnings may come first). */
export function parseNodeIdentity(output: string): NodeIdentity | undefined {
  for (const line of output.split('\n').reverse()) {
    const match = /^([a-z0-9]+) ([a-z0-9]+)$/.exec(line.trim());
    if (match?.[1] !== undefined && match[2] !== undefined) return { platform: match[1], arch: match[2] };
  }
  return undefined;
}

/**
 * For a node already on the device (Termux's, or a path): checks it is there (as root when
 * possible: Termux's folder is private) and asks it its platform and CPU, in the environment the
 * launcher will give it. Then selects the runtime from what it said: a path's koffi build follows
 * the platform it reports, and a node of another CPU than the phone's (32-bit Termux on a 64-bit
 * phone) gets the build for its own CPU, or a clear "not supported". Without an answer the
 * selection stands on the phone's ABI (and, for a path, on where it lies).
 */
export async function checkDeviceNode(device: Device, spec: Exclude<RuntimeSpec, 'bundled'>, abi: string, progress: Progress): Promise<RuntimeSelection> {
  const assumed = selectRuntime({ platform: 'android', abi, runtime: spec });
  const root = await device.rootAvailable();
  if (!root && spec === 'termux') {
    progress(`no root on ${device.serial}: cannot check that Termux's node is installed`);
    return assumed;
  }
  const present = await device.shell(`test -x ${shellQuote(assumed.node)}`, { root });
  if (present.exitCode !== 0) {
    throw new CliError(spec === 'termux' ? `Termux's node is not installed on ${device.serial} (in Termux: pkg install nodejs-lts)` : `no executable node at ${assumed.node} on ${device.serial}`);
  }
  const probe = [...envLines(assumed.env), `exec ${shellQuote(assumed.node)} -e ${shellQuote(REPORT)}`].join('; ');
  const identity = parseNodeIdentity((await device.shell(probe, { root, timeoutMs: 60_000 })).output);
  if (!identity) {
    progress(`${assumed.node} on ${device.serial} did not say its platform; assuming ${assumed.nodePlatform}-${assumed.abi.nodeArch}`);
    return assumed;
  }
  if (identity.platform !== 'linux' && identity.platform !== 'android') {
    throw new CliError(`${assumed.node} on ${device.serial} is a ${identity.platform} node; lmk runs on linux and android nodes`);
  }
  const platform: NodePlatform = identity.platform;
  if (spec === 'termux' && platform !== 'android') throw new CliError(`${assumed.node} on ${device.serial} says it is a ${platform} node, not Termux's`);
  try {
    return selectRuntime({ platform: 'android', arch: identity.arch, runtime: spec === 'termux' ? spec : { path: spec.path, platform } });
  } catch (error) {
    if (error instanceof CliError) throw new CliError(`${describeRuntime(spec)} on ${device.serial} is a ${platform}-${identity.arch} node: ${error.message}`);
    throw error;
  }
}
