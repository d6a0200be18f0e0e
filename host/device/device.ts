import { DEFAULT_INSTALL_DIR } from '../bundle/launcher.js';

/**
 * A device reached through the adb server: the one seam between the host's commands and the
 * transport (host/adb/), so commands read as what they do on the phone.
 */

export interface ShellResult {
  /** stdout and stderr as the device printed them (legacy adb shell merges them). */
  readonly output: string;
  readonly exitCode: number;
}

export interface ShellOptions {
  /** Run as root: directly when adbd already is, else through `su -c`. */
  readonly root?: boolean;
  readonly timeoutMs?: number;
}

export interface Device {
  readonly serial: string;
  /** Runs `command` with the device's /system/bin/sh. Values in it must already be quoted (shellQuote). */
  shell(command: string, options?: ShellOptions): Promise<ShellResult>;
  /**
   * Runs a long command and hands over its output line by line as it arrives, until it ends
   * (resolves with its exit code) or `signal` aborts (resolves with null after closing the stream).
   */
  shellLines(command: string, onLine: (line: string) => void, options?: ShellOptions & { readonly signal?: AbortSignal }): Promise<number | null>;
  /** Pushes one file (parents created), with progress in bytes sent. */
  push(localPath: string, remotePath: string, mode: number, onProgress?: (bytesSent: number) => void): Promise<void>;
  /** Reads one file from the device (as the shell user; use shell with root for protected files). */
  pull(remotePath: string): Promise<Buffer>;
  /** getprop, parsed. */
  props(): Promise<ReadonlyMap<string, string>>;
  /** Whether root works here: adbd runs as root, or `su` gives uid 0. */
  rootAvailable(): Promise<boolean>;
}

/** Where lmk lives on a device; the bundle's ELF interpreter is patched to this path. */
export const DEVICE_INSTALL_DIR = DEFAULT_INSTALL_DIR;
/** The agent's state on a device (control socket, kill log, pid files): /run does not exist on Android. */
export const DEVICE_STATE_DIR = `${DEVICE_INSTALL_DIR}/state`;
