import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { appCatalog } from './apps.js';
import { buildProps, IDENTITY } from './build-prop.js';
import { PhoneCgroups } from './cgroups.js';
import { findExecutable, isStatic, requireExecutable } from './host-tools.js';
import type { PhoneProcessConfig } from './ipc.js';
import { buildNative } from './native.js';
import { createRootfs } from './rootfs.js';
import { removeTempDir, RunningPhone, type Phone } from './running-phone.js';
import { ZramSwap } from '../support/zram-swap.js';

export type { Phone, PhoneApp, PhoneInfo, PhoneLauncher, PhoneLaunchResult } from './running-phone.js';

export interface PhoneOptions {
  /** adbd's port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** The phone's RAM: its memory cgroup's limit (default 3072 MiB). */
  readonly ramMib?: number;
  /** zram swap size (default half the RAM; 0: no swap). */
  readonly zramMib?: number;
  /** false: an unrooted phone (no su, adb shell runs as uid 2000). Default true. */
  readonly su?: boolean;
  /** Number of installed example apps (default 8). */
  readonly apps?: number;
  /** Overrides every example app's memory size. */
  readonly appMib?: number;
  /** Start the home screen app at boot (default true). */
  readonly home?: boolean;
  /** Opens the first N example apps at boot, oldest first (default 0). */
  readonly openAtBoot?: number;
  /**
   * Temporary, until the bundled runtime lands: bind this machine's node and its libraries at
   * /data/local/tmp/lmk-host-node (run bin/node there). Default false.
   */
  readonly withHostNode?: boolean;
  /** Register with the adb server (adb connect) once up, and disconnect on stop (default true). */
  readonly adbConnect?: boolean;
  /** Port of the adb server to register with (default: adb's own, 5037 or $ANDROID_ADB_SERVER_PORT). */
  readonly adbServerPort?: number;
  /** Log the phone's own diagnostics to stderr. */
  readonly verbose?: boolean;
}

/** A statically linked mksh (Debian's mksh package ships musl and klibc builds). */
function staticMksh(): string {
  const candidates = ['/usr/lib/x86_64-linux-musl/bin/mksh', '/bin/mksh-static', '/usr/lib/klibc/bin/mksh'];
  for (const candidate of candidates) {
    if (existsSync(candidate) && isStatic(realpathSync(candidate))) return realpathSync(candidate);
  }
  throw new Error('device-sim needs a static mksh for /system/bin/sh (apt-get install mksh)');
}

/** A hardware-like serial number (ro.serialno), different per phone. */
function deviceSerialNumber(): string {
  return `NX5${((process.pid * 2654435761 + phonesStarted * 40503) % 2 ** 32).toString(16).toUpperCase().padStart(8, '0')}`;
}

const PHONE_PROCESS = fileURLToPath(new URL('./phone-process.js', import.meta.url));
const MiB = 1024 * 1024;
let phonesStarted = 0;

/**
 * Boots a simulated rooted Android phone: an Android-like root (mksh, busybox, getprop, su, am),
 * its own memory cgroup + cgroup2 group + zram swap, apps at Android's oom_score_adj bands and an
 * adbd on 127.0.0.1 that the real adb server accepts. Must run as root.
 */
export async function startPhone(options: PhoneOptions = {}): Promise<Phone> {
  if (process.getuid?.() !== 0) throw new Error('device-sim must run as root');
  const busybox = requireExecutable('busybox', 'busybox-static');
  if (!isStatic(busybox)) throw new Error(`${busybox} is dynamically linked: apt-get install busybox-static`);
  const shell = staticMksh();
  const chroot = requireExecutable('chroot', 'coreutils');
  const unshare = requireExecutable('unshare', 'util-linux');
  requireExecutable('mount', 'mount');
  if (options.adbConnect !== false) requireExecutable('adb', 'adb');

  const su = options.su ?? true;
  const ramBytes = (options.ramMib ?? 3072) * MiB;
  const zramBytes = (options.zramMib ?? Math.floor((options.ramMib ?? 3072) / 2)) * MiB;
  const apps = appCatalog({ count: options.apps ?? 8, home: options.home ?? true, ...(options.appMib === undefined ? {} : { appMib: options.appMib }) });
  const n = phonesStarted++;
  const name = n === 0 ? `lmk-phone-${process.pid}` : `lmk-phone-${process.pid}-${n}`;
  const tempDir = `/tmp/${name}`;
  const shellUid = su ? 0 : 2000;

  mkdirSync(tempDir, { mode: 0o755 });
  let groups: PhoneCgroups | undefined;
  let zram: ZramSwap | undefined;
  try {
    mkdirSync(`${tempDir}/bin`);
    const native = buildNative(`${tempDir}/bin`);
    createRootfs({ root: `${tempDir}/root`, busybox, shell, native, props: buildProps({ rooted: su, serial: deviceSerialNumber() }), su, shellUid: 2000, apps });
    groups = PhoneCgroups.create(name, { ramBytes, swapBytes: zramBytes });
    if (zramBytes > 0) {
      if (!ZramSwap.available()) throw new Error('no /sys/class/zram-control (modprobe zram), or pass zramMib: 0');
      zram = ZramSwap.create(zramBytes);
    }
    const config: PhoneProcessConfig = {
      root: `${tempDir}/root`,
      port: options.port ?? 0,
      identity: IDENTITY,
      shellUid,
      apps,
      openAtBoot: apps.filter((app) => !app.home).slice(0, options.openAtBoot ?? 0).map((app) => app.packageName),
      hostNode: options.withHostNode ?? false,
      chroot,
      script: findExecutable('script'),
      verbose: options.verbose ?? false,
    };
    // Join the phone's groups first, then enter a private mount namespace and a PID namespace
    // whose PID 1 is our init: everything the phone starts inherits the groups, none of its
    // mounts reach this machine's mount table, it sees (and can kill) only its own processes,
    // and when init goes the kernel kills whatever is left.
    const namespaces = ['--mount', '--propagation', 'private', '--pid', '--fork', '--kill-child', '--mount-proc'];
    const child = spawn(
      '/bin/sh',
      ['-c', `${groups.joinCommand()} && exec "$@"`, 'sh', unshare, ...namespaces, '--', native.init, process.execPath, PHONE_PROCESS, JSON.stringify(config)],
      { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], detached: true },
    );
    const phone = new RunningPhone(child, groups, zram, tempDir, options.adbConnect !== false, apps, options.adbServerPort);
    try {
      await phone.ready(60_000 + (options.openAtBoot ?? 0) * 10_000);
    } catch (error) {
      await phone.stop().catch(() => undefined);
      throw error;
    }
    return phone;
  } catch (error) {
    await groups?.remove().catch(() => undefined);
    try {
      zram?.remove();
    } catch {
      // reported by the original error
    }
    try {
      removeTempDir(tempDir);
    } catch {
      // leave it for inspection
    }
    throw error;
  }
}
