/**
 * Termux's layout. Its packages are built for this one prefix (their ELF RUNPATH and shebangs name
 * it), so these paths are the same on every phone; `$PREFIX` says so inside Termux.
 */
export const TERMUX_PREFIX = '/data/data/com.termux/files/usr';
/** Termux's node (`pkg install nodejs-lts` or `nodejs`): bionic, process.platform 'android'. */
export const TERMUX_NODE = `${TERMUX_PREFIX}/bin/node`;
/** Where Termux's node finds its libraries (libc++_shared, libz, OpenSSL, ICU, …). */
export const TERMUX_LIB = `${TERMUX_PREFIX}/lib`;

/** Whether a path lies inside Termux's app folder. */
export function isTermuxPath(path: string): boolean {
  return path.startsWith('/data/data/com.termux/') || path.startsWith('/data/user/0/com.termux/');
}

/** Whether lmk itself runs inside Termux: its node reports 'android', or $PREFIX is Termux's. */
export function runsInTermux(platform: string, env: Readonly<Record<string, string | undefined>>): boolean {
  return platform === 'android' || (env['PREFIX'] ?? '').includes('com.termux');
}
