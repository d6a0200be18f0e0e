import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SOURCES = fileURLToPath(new URL('../../../test/device-sim/native/', import.meta.url));

/** The phone's own binaries, compiled statically (the device root has no libc) into `outDir`. */
export interface NativeBinaries {
  /** The app process (installed as /system/bin/app_process64). */
  readonly app: string;
  /** The am/pm client (installed as /system/bin/am and /system/bin/pm). */
  readonly activityClient: string;
  /** PID 1 of the phone's PID namespace (runs on the host side, outside the root). */
  readonly init: string;
}

export function buildNative(outDir: string): NativeBinaries {
  const build = (name: string): string => {
    const out = `${outDir}/${name}`;
    execFileSync('cc', ['-static', '-O2', '-Wall', '-o', out, `${SOURCES}${name}.c`], { stdio: ['ignore', 'ignore', 'inherit'] });
    return out;
  };
  return { app: build('app'), activityClient: build('activity-client'), init: build('init') };
}
