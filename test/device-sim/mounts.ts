import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

/** Where --with-host-node puts this machine's node and its libraries inside the phone. */
export const HOST_NODE_DIR = '/data/local/tmp/lmk-host-node';

const DEVICE_NODES: ReadonlyArray<readonly [name: string, major: number, minor: number]> = [
  ['null', 1, 3],
  ['zero', 1, 5],
  ['full', 1, 7],
  ['random', 1, 8],
  ['urandom', 1, 9],
  ['tty', 5, 0],
  ['ptmx', 5, 2],
];

/** The shared libraries (and the loader) a dynamically linked binary needs, from ldd. */
function sharedLibraries(binary: string): string[] {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8' });
  return [...out.matchAll(/(?:=>\s*)?(\/\S+)\s+\(0x/g)].map((match) => match[1]!).filter((path, i, all) => all.indexOf(path) === i);
}

/**
 * The phone's mounts, made inside its private mount namespace: /proc (bind), /sys (recursive
 * bind, so the cgroup hierarchies come along), a minimal /dev on tmpfs (null, zero, full, random,
 * urandom, tty, ptmx, the host's devpts, /dev/socket) and, only when asked, this machine's node.
 */
export class PhoneMounts {
  private readonly points: string[] = [];

  private constructor(private readonly root: string) {}

  static mountAll(root: string, options: { hostNode: boolean }): PhoneMounts {
    const mounts = new PhoneMounts(root);
    try {
      mounts.mount(['--bind', '/proc'], 'proc');
      mounts.mount(['--rbind', '/sys'], 'sys');
      mounts.mount(['-t', 'tmpfs', '-o', 'mode=755,nosuid,size=16m', 'tmpfs'], 'dev');
      for (const [name, major, minor] of DEVICE_NODES) {
        execFileSync('mknod', ['-m', '666', `${root}/dev/${name}`, 'c', String(major), String(minor)]);
      }
      mkdirSync(`${root}/dev/pts`);
      mounts.mount(['--bind', '/dev/pts'], 'dev/pts');
      mkdirSync(`${root}/dev/socket`, { mode: 0o755 });
      symlinkSync('/proc/self/fd', `${root}/dev/fd`);
      for (const [i, name] of ['stdin', 'stdout', 'stderr'].entries()) symlinkSync(`/proc/self/fd/${i}`, `${root}/dev/${name}`);
      if (options.hostNode) mounts.mountHostNode();
    } catch (error) {
      mounts.unmountAll();
      throw error;
    }
    return mounts;
  }

  /** Temporary, until the bundled runtime lands: node and its glibc, run through the loader. */
  private mountHostNode(): void {
    const dir = `${this.root}${HOST_NODE_DIR}`;
    for (const path of [dir, `${dir}/bin`, `${dir}/lib`]) mkdirSync(path, { mode: 0o755 });
    writeFileSync(`${dir}/bin/node.real`, '');
    this.mount(['--bind', process.execPath], `${HOST_NODE_DIR}/bin/node.real`.slice(1));
    let loader: string | undefined;
    for (const library of sharedLibraries(process.execPath)) {
      writeFileSync(`${dir}/lib/${basename(library)}`, '');
      this.mount(['--bind', library], `${HOST_NODE_DIR}/lib/${basename(library)}`.slice(1));
      if (basename(library).startsWith('ld-linux')) loader = basename(library);
    }
    if (!loader) throw new Error(`no ELF loader among ${process.execPath}'s libraries`);
    writeFileSync(
      `${dir}/bin/node`,
      `#!/system/bin/sh\nexec ${HOST_NODE_DIR}/lib/${loader} --library-path ${HOST_NODE_DIR}/lib ${HOST_NODE_DIR}/bin/node.real "$@"\n`,
      { mode: 0o755 },
    );
  }

  private mount(args: string[], relativeTarget: string): void {
    const target = `${this.root}/${relativeTarget}`;
    execFileSync('mount', [...args, target], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.points.push(target);
  }

  /** Detaches every mount (lazily, so busy ones go too), innermost first. */
  unmountAll(): void {
    for (const target of this.points.splice(0).reverse()) {
      try {
        execFileSync('umount', ['-l', target], { stdio: ['ignore', 'ignore', 'ignore'] });
      } catch {
        // already gone with its parent
      }
    }
  }
}
