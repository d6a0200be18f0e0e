import { checkSerial, selectDevice } from '../adb/device-selection.js';
import { AdbServer } from '../adb/server.js';
import { serverAddress, type AdbServerOptions } from '../adb/server-address.js';
import { AdbTransport } from '../adb/transport.js';
import type { TargetOptions } from '../target.js';
import { AdbDevice } from './adb-device.js';

/** What a device command gets from the CLI: the target and where the adb server is. */
export interface DeviceTargetOptions extends TargetOptions, AdbServerOptions {}

function logToStderr(line: string): void {
  process.stderr.write(`lmk: ${line}\n`);
}

/** The adb server the options name (started when it is local and not running). */
export function connectAdbServer(options: AdbServerOptions): Promise<AdbServer> {
  return AdbServer.connect(serverAddress(options), logToStderr);
}

/** A device by -s/--serial ($ANDROID_SERIAL), else the only one adb has ready. */
export async function openDevice(options: DeviceTargetOptions): Promise<AdbDevice> {
  if (options.serial) checkSerial(options.serial);
  const server = await connectAdbServer(options);
  const entry = selectDevice(await server.devices(), options.serial);
  return new AdbDevice(new AdbTransport(server, entry.serial));
}
