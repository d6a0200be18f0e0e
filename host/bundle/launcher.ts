import { CliError } from '../cli-error.js';

/** Where bundles live on the device unless told otherwise: writable by adb shell, exec allowed. */
export const DEFAULT_INSTALL_DIR = '/data/local/tmp/lmk';

/** Checks an install dir: absolute, and plain enough to sit in PT_INTERP, RPATH and a sh script. */
export function checkInstallDir(dir: string): string {
  const trimmed = dir.replace(/\/+$/, '');
  if (!trimmed.startsWith('/')) throw new CliError(`--install-dir must be an absolute path on the device, not '${dir}'`);
  if (!/^[A-Za-z0-9._+\-/]+$/.test(trimmed) || trimmed.split('/').some((part) => part === '.' || part === '..')) {
    throw new CliError(`--install-dir '${dir}' may only contain letters, digits and . _ + - /, and no . or .. parts`);
  }
  return trimmed;
}

/**
 * `lmk-agent`: a POSIX sh script for Android's /system/bin/sh (mksh) or busybox that uses no other
 * command. node's PT_INTERP already names the bundled loader at the install dir, so it execs
 * node directly and process.execPath is node. LD_PRELOAD and LD_LIBRARY_PATH are dropped: on
 * Android they name bionic libraries (Termux sets both), which glibc's loader must not pick up.
 */
export function launcherScript(installDir: string, loader: string, version: string): string {
  return `#!/system/bin/sh
# lmk-agent ${version}: the lmk agent on the bundled Node and glibc. Built for ${installDir};
# node's ELF interpreter is that path, so the bundle only runs from there.
d='${installDir}'
if [ ! -x "$d/node" ] || [ ! -f "$d/lib/${loader}" ]; then
  echo "lmk-agent: no bundle at $d (it was built for that path; rebuild with lmk bundle --install-dir)" >&2
  exit 127
fi
unset LD_PRELOAD LD_LIBRARY_PATH
exec "$d/node" "$d/agent/main.js" "$@"
`;
}
