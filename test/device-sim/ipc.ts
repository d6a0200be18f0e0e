import type { AppSpec } from './apps.js';
import type { DeviceIdentity } from './build-prop.js';
import type { LaunchResult, RunningApp } from './launcher.js';

/** What the host side tells the phone process when starting it (as one JSON argument). */
export interface PhoneProcessConfig {
  readonly root: string;
  readonly port: number;
  readonly identity: DeviceIdentity;
  readonly shellUid: number;
  readonly apps: readonly AppSpec[];
  /** Packages opened one after another at boot (after the home app). */
  readonly openAtBoot: readonly string[];
  readonly hostNode: boolean;
  readonly chroot: string;
  readonly script: string | undefined;
  readonly verbose: boolean;
}

/** Requests the host side sends over the IPC channel; each gets one reply with the same id. */
export type PhoneRequest =
  | { readonly id: number; readonly type: 'open'; readonly packageName: string }
  | { readonly id: number; readonly type: 'forceStop'; readonly packageName: string }
  | { readonly id: number; readonly type: 'processes' }
  | { readonly id: number; readonly type: 'stop' };

export type PhoneReply =
  | { readonly id: number; readonly ok: true; readonly value: LaunchResult | RunningApp[] | boolean | null }
  | { readonly id: number; readonly ok: false; readonly error: string };

export type PhoneEvent = { readonly type: 'ready'; readonly port: number } | { readonly type: 'failed'; readonly error: string };
