/** The platforms lmk's agent can run its node on, as that node's process.platform says. */
export type NodePlatform = 'linux' | 'android';
/** The CPUs koffi has prebuilt binaries for on both of them, as process.arch says. */
export type NodeArch = 'arm64' | 'x64';

/**
 * One of koffi's prebuilt binaries. koffi's loader requires `@koromix/koffi-<platform>-<arch>`
 * from process.platform and process.arch of the node that loads it, so this is decided by which
 * node runs the agent, not by the phone: the bundled official Node is a glibc Linux build
 * (platform 'linux'), Termux's node a bionic Android one (platform 'android').
 */
export interface KoffiBuild {
  /** npm package, e.g. `@koromix/koffi-android-arm64`. */
  readonly package: string;
  /** Folder in the package with the binary: `<dir>/koffi.node`. */
  readonly dir: string;
  /** The C library the binary is linked against. */
  readonly libc: 'glibc' | 'bionic';
  /** ELF e_machine of the binary (183 aarch64, 62 x86_64). */
  readonly elfMachine: number;
}

const ELF_MACHINE: Readonly<Record<NodeArch, number>> = { arm64: 183, x64: 62 };

export function koffiBuild(platform: NodePlatform, arch: NodeArch): KoffiBuild {
  return {
    package: `@koromix/koffi-${platform}-${arch}`,
    dir: `${platform}_${arch}`,
    libc: platform === 'android' ? 'bionic' : 'glibc',
    elfMachine: ELF_MACHINE[arch],
  };
}

/** `<dir>/koffi.node`, relative to the package. */
export function koffiBinary(build: KoffiBuild): string {
  return `${build.dir}/koffi.node`;
}
