import type { EventEmitter } from 'node:events';
import type { Duplex, Readable } from 'node:stream';
import adbkit from '@devicefarmer/adbkit';

/**
 * The part of @devicefarmer/adbkit lmk uses, typed. adbkit's own declarations return Bluebird
 * promises whose types are not installed (so they are `any`); these interfaces say what the
 * calls actually resolve to, and the real client is checked against them where it is created.
 */

export interface KitDeviceEntry {
  readonly id: string;
  /** device, offline, unauthorized, emulator, recovery, … */
  readonly type: string;
}

export interface KitStats {
  readonly size: number;
  isFile(): boolean;
}

/** adbkit's PushTransfer: 'progress' ({ bytesTransferred }), 'end', 'error'. */
export type KitPushTransfer = EventEmitter;

export interface KitSync {
  /** Rejects with code ENOENT when nothing is there. */
  stat(path: string): PromiseLike<KitStats>;
  pushFile(localPath: string, remotePath: string, mode?: number): KitPushTransfer;
  /** adbkit's PullTransfer: a readable of the file's bytes. */
  pull(remotePath: string): Readable;
  end(): unknown;
}

export interface KitDeviceClient {
  /** Legacy `shell:<command>`: resolves with the raw stream once adbd accepted it. */
  shell(command: string): PromiseLike<Duplex>;
  syncService(): PromiseLike<KitSync>;
}

export interface KitClient {
  listDevices(): PromiseLike<KitDeviceEntry[]>;
  getDevice(serial: string): KitDeviceClient;
}

export interface KitClientOptions {
  readonly host: string;
  readonly port: number;
  /** The adb binary adbkit runs (`bin -P PORT start-server`) when the server refuses a connection. */
  readonly bin: string;
}

export function createKitClient(options: KitClientOptions): KitClient {
  const client: KitClient = adbkit.Adb.createClient({ host: options.host, port: options.port, bin: options.bin });
  return client;
}
