/** Where /proc and /sys are: the real ones, or a captured tree (tests, fixtures). */
export interface SystemRoots {
  readonly procRoot: string;
  readonly sysfsRoot: string;
}

export function rootsFromEnv(env: NodeJS.ProcessEnv = process.env): SystemRoots {
  return {
    procRoot: env['LMK_PROC_ROOT'] || '/proc',
    sysfsRoot: env['LMK_SYSFS_ROOT'] || '/sys',
  };
}
