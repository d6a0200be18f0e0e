/**
 * The phone itself: runs inside the phone's cgroups and its private mount namespace (started by
 * phone.ts through unshare). Mounts /proc, /sys and /dev into the root, starts the activity
 * service, the apps' launcher and adbd, then answers the host side's requests over IPC.
 */
import type { Server } from 'node:net';
import { deviceBanner } from './adbd/banner.js';
import { startAdbd, type Adbd } from './adbd/server.js';
import { startActivityService } from './activity-service.js';
import { appSpawner, shellLauncher, type DeviceProcessConfig } from './device-processes.js';
import type { PhoneEvent, PhoneProcessConfig, PhoneReply, PhoneRequest } from './ipc.js';
import { Launcher } from './launcher.js';
import { PhoneMounts } from './mounts.js';

const config = JSON.parse(process.argv[2] ?? '{}') as PhoneProcessConfig;
const log = (line: string): void => {
  if (config.verbose) process.stderr.write(`device-sim: ${line}\n`);
};

function send(message: PhoneEvent | PhoneReply): void {
  if (process.connected) process.send?.(message);
}

let mounts: PhoneMounts | undefined;
let launcher: Launcher | undefined;
let activity: Server | undefined;
let adbd: Adbd | undefined;
let shuttingDown: Promise<void> | undefined;

function shutdown(): Promise<void> {
  shuttingDown ??= (async () => {
    await adbd?.close().catch(() => undefined);
    activity?.close();
    await launcher?.stopAll().catch(() => undefined);
    mounts?.unmountAll();
  })();
  return shuttingDown;
}

async function handle(request: PhoneRequest): Promise<PhoneReply> {
  try {
    switch (request.type) {
      case 'open':
        return { id: request.id, ok: true, value: await launcher!.open(request.packageName) };
      case 'forceStop':
        return { id: request.id, ok: true, value: await launcher!.forceStop(request.packageName) };
      case 'processes':
        return { id: request.id, ok: true, value: launcher!.processes() };
      case 'stop':
        await shutdown();
        return { id: request.id, ok: true, value: null };
    }
  } catch (error) {
    return { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

async function boot(): Promise<void> {
  process.title = 'adbd';
  const device: DeviceProcessConfig = {
    root: config.root,
    chroot: config.chroot,
    script: config.script,
    shellUid: config.shellUid,
    hostname: config.identity.device,
  };
  mounts = PhoneMounts.mountAll(config.root, { hostNode: config.hostNode });
  launcher = new Launcher(config.apps, appSpawner(device));
  activity = await startActivityService(config.root, launcher);
  for (const app of config.apps.filter((spec) => spec.home)) await launcher.open(app.packageName);
  for (const packageName of config.openAtBoot) await launcher.open(packageName);
  adbd = await startAdbd({
    port: config.port,
    banner: deviceBanner(config.identity),
    launch: shellLauncher(device),
    sync: { root: config.root, ...(config.shellUid === 0 ? {} : { owner: { uid: config.shellUid, gid: config.shellUid } }) },
    log,
  });
  log(`adbd listening on 127.0.0.1:${adbd.port}`);
  send({ type: 'ready', port: adbd.port });
}

process.on('message', (request: PhoneRequest) => {
  void handle(request).then((reply) => {
    send(reply);
    if (request.type === 'stop') process.disconnect?.();
  });
});
// The host side went away without asking: take everything down anyway.
process.on('disconnect', () => void shutdown().then(() => process.exit(0)));
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => void shutdown().then(() => process.exit(0)));

boot().catch(async (error: unknown) => {
  send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  await shutdown();
  process.exit(1);
});
