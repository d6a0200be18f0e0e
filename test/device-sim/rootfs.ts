import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AppSpec } from './apps.js';
import { formatBuildProp } from './build-prop.js';
import type { NativeBinaries } from './native.js';
import { GETPROP, SETPROP, SU } from './shims.js';

export interface RootfsOptions {
  /** Host directory that becomes the phone's "/" (must not exist yet). */
  readonly root: string;
  readonly busybox: string;
  /** A static mksh, Android's /system/bin/sh. */
  readonly shell: string;
  readonly native: NativeBinaries;
  readonly props: Record<string, string>;
  /** Install /system/bin/su. */
  readonly su: boolean;
  /** uid/gid owning /data/local/tmp (2000, "shell", as on Android). */
  readonly shellUid: number;
  readonly apps: readonly AppSpec[];
}

/** Commands of our own that replace busybox applets of the same name. */
const OWN_COMMANDS = new Set(['sh', 'getprop', 'setprop', 'su', 'am', 'pm', 'app_process64']);

function dir(path: string, mode = 0o755, owner?: number): void {
  mkdirSync(path, { mode });
  chmodSync(path, mode);
  if (owner !== undefined) chownSync(path, owner, owner);
}

function script(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o755 });
}

/**
 * Lays out an Android-like root: mksh as /system/bin/sh (as on Android), busybox's applets as
 * relative symlinks in /system/bin (standing in for toybox), getprop/setprop/su shims, am/pm and
 * app_process64, /data with /data/local/tmp, and empty mount points for /proc, /sys and /dev.
 * Nothing of the host's /usr, /lib or /bin is in it.
 *
 * Not busybox's ash as sh: Debian builds it to run its own applets before searching PATH, so
 * "su" would be busybox's su, never /system/bin/su.
 */
export function createRootfs(options: RootfsOptions): void {
  const { root } = options;
  dir(root);
  for (const path of ['system', 'system/bin', 'system/xbin', 'system/etc', 'system/app', 'vendor', 'proc', 'sys', 'dev', 'mnt', 'storage', 'apex', 'data']) dir(`${root}/${path}`);
  dir(`${root}/data/local`, 0o751);
  dir(`${root}/data/local/tmp`, 0o771, options.shellUid);
  dir(`${root}/data/data`, 0o771);
  dir(`${root}/data/app`, 0o771);
  dir(`${root}/data/property`, 0o711);
  dir(`${root}/data/media`, 0o770);
  dir(`${root}/data/media/0`, 0o770);
  for (const app of options.apps) dir(`${root}/data/data/${app.packageName}`, 0o700, app.uid);
  symlinkSync('system/bin', `${root}/bin`);
  symlinkSync('system/etc', `${root}/etc`);
  symlinkSync('data/media/0', `${root}/sdcard`);

  const bin = `${root}/system/bin`;
  copyFileSync(options.busybox, `${bin}/busybox`);
  chmodSync(`${bin}/busybox`, 0o755);
  const applets = execFileSync(options.busybox, ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const applet of applets) {
    if (applet !== 'busybox' && !OWN_COMMANDS.has(applet)) symlinkSync('busybox', `${bin}/${applet}`);
  }
  copyFileSync(options.shell, `${bin}/sh`);
  chmodSync(`${bin}/sh`, 0o755);
  script(`${bin}/getprop`, GETPROP);
  script(`${bin}/setprop`, SETPROP);
  if (options.su) script(`${bin}/su`, SU);
  copyFileSync(options.native.activityClient, `${bin}/am`);
  chmodSync(`${bin}/am`, 0o755);
  symlinkSync('am', `${bin}/pm`);
  copyFileSync(options.native.app, `${bin}/app_process64`);
  chmodSync(`${bin}/app_process64`, 0o755);

  writeFileSync(`${root}/system/build.prop`, formatBuildProp(options.props), { mode: 0o644 });
  writeFileSync(`${root}/data/property/runtime.prop`, '', { mode: 0o644 });
  writeFileSync(`${root}/system/etc/hosts`, '127.0.0.1       localhost\n::1             ip6-localhost\n', { mode: 0o644 });
}
