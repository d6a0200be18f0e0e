import { execFileSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';

/** The first executable called `name` on PATH (or the usual sbin directories). */
export function findExecutable(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  for (const dir of dirs.filter(Boolean)) {
    try {
      accessSync(`${dir}/${name}`, constants.X_OK);
      return `${dir}/${name}`;
    } catch {
      // next
    }
  }
  return undefined;
}

export function requireExecutable(name: string, debianPackage: string): string {
  const path = findExecutable(name);
  if (!path) throw new Error(`device-sim needs ${name} (apt-get install ${debianPackage})`);
  return path;
}

/** True if the binary needs no shared libraries (so it runs in a root without /lib). */
export function isStatic(binary: string): boolean {
  try {
    execFileSync('ldd', [binary], { stdio: ['ignore', 'pipe', 'pipe'] });
    return false;
  } catch {
    return true;
  }
}

/** Mount points at or below `dir` in this process's mount namespace. */
export function mountsBelow(dir: string): string[] {
  const text = readFileSync('/proc/self/mountinfo', 'utf8');
  return text
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((point): point is string => point !== undefined && (point === dir || point.startsWith(`${dir}/`)));
}
