import { spawn } from 'node:child_process';
import type { SubprocessLauncher } from './adbd/shell-service.js';
import type { AppSpawner } from './app-process.js';

export interface DeviceProcessConfig {
  /** Host directory that is the phone's "/". */
  readonly root: string;
  /** Host binaries used to enter it: chroot(8), and script(1) for ptys (if installed). */
  readonly chroot: string;
  readonly script: string | undefined;
  /** uid of adb shell: 0 on this rooted phone, 2000 ("shell") without su. */
  readonly shellUid: number;
  readonly hostname: string;
}

const BASE_ENV = {
  PATH: '/system/bin:/system/xbin',
  ANDROID_ROOT: '/system',
  ANDROID_DATA: '/data',
  ANDROID_STORAGE: '/storage',
  ANDROID_ASSETS: '/system/app',
  EXTERNAL_STORAGE: '/sdcard',
  ASEC_MOUNTPOINT: '/mnt/asec',
  BOOTCLASSPATH: '/system/framework/framework.jar',
};

/** The environment adbd gives a shell on the phone (nothing of this machine's). */
export function shellEnv(config: DeviceProcessConfig, term: string | undefined): Record<string, string> {
  const user = config.shellUid === 0 ? 'root' : 'shell';
  return {
    ...BASE_ENV,
    HOME: '/data/local/tmp',
    TMPDIR: '/data/local/tmp',
    HOSTNAME: config.hostname,
    USER: user,
    LOGNAME: user,
    SHELL: '/system/bin/sh',
    ...(term === undefined ? {} : { TERM: term }),
  };
}

function quote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

function chrootArgs(config: DeviceProcessConfig, argv: readonly string[]): string[] {
  const user = config.shellUid === 0 ? [] : [`--userspec=${config.shellUid}:${config.shellUid}`];
  return [...user, config.root, ...argv];
}

/** adbd's subprocesses: /system/bin/sh -c CMD chrooted into the phone, in their own session. */
export function shellLauncher(config: DeviceProcessConfig): SubprocessLauncher {
  return (request) => {
    const env = shellEnv(config, request.term);
    const shell = request.command === '' ? ['/system/bin/sh', '-l'] : ['/system/bin/sh', '-c', request.command];
    if (!request.pty || config.script === undefined) {
      return spawn(config.chroot, chrootArgs(config, shell), { env, stdio: 'pipe', detached: true, cwd: '/' });
    }
    // script(1) gives the shell a pty; the device's env replaces script's own inside the chroot.
    const inner = [config.chroot, ...chrootArgs(config, ['/system/bin/env', '-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...shell])];
    return spawn(config.script, ['-q', '-e', '-f', '-c', `exec ${inner.map(quote).join(' ')}`, '/dev/null'], {
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', SHELL: '/bin/sh', ...(request.term ? { TERM: request.term } : {}) },
      stdio: 'pipe',
      detached: true,
      cwd: '/',
    });
  };
}

/** Starts app_process64 for an app, as root; it names itself and drops to the app's uid. */
export function appSpawner(config: DeviceProcessConfig): AppSpawner {
  return (app) =>
    spawn(config.chroot, [config.root, '/system/bin/app_process64', app.packageName, String(app.uid), String(app.mib)], {
      env: { ...BASE_ENV },
      stdio: ['ignore', 'pipe', 'ignore'],
      detached: true,
      cwd: '/',
    });
}
