import { lstatSync, readlinkSync } from 'node:fs';

const MAX_LINKS = 40;

function components(path: string): string[] {
  return path.split('/').filter((part) => part !== '' && part !== '.');
}

/**
 * Maps a device path to the host path inside `root`, resolving symlinks as if `root` were "/"
 * (an absolute link restarts at the root, ".." never climbs above it). Components that do not
 * exist are kept literally, so a path about to be created resolves too. With followLast false a
 * symlink in the last component is not followed (lstat semantics).
 */
export function resolveInRoot(root: string, devicePath: string, followLast: boolean): string {
  const pending = components(devicePath);
  let resolved: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const name = pending.shift()!;
    if (name === '..') {
      resolved.pop();
      continue;
    }
    const candidate = [...resolved, name];
    const isLast = pending.length === 0;
    let isLink = false;
    try {
      isLink = lstatSync(`${root}/${candidate.join('/')}`).isSymbolicLink();
    } catch {
      isLink = false;
    }
    if (isLink && (!isLast || followLast)) {
      if (++links > MAX_LINKS) throw Object.assign(new Error(`ELOOP: too many symbolic links, ${devicePath}`), { code: 'ELOOP' });
      const target = readlinkSync(`${root}/${candidate.join('/')}`);
      if (target.startsWith('/')) resolved = [];
      pending.unshift(...components(target));
      continue;
    }
    resolved = candidate;
  }
  return resolved.length === 0 ? root : `${root}/${resolved.join('/')}`;
}
