import { createKitClient, type KitClient, type KitDeviceClient } from './adbkit.js';
import { adbFailure, unreachable } from './errors.js';
import { formatAddress, isLocalHost, type AdbServerAddress } from './server-address.js';
import { probeServer } from './server-probe.js';
import { startServer } from './server-start.js';

/** One line of `adb devices`: the serial and its state (device, offline, unauthorized, …). */
export interface AdbDeviceEntry {
  readonly serial: string;
  readonly state: string;
}

/** Waits until the server answers, polling, for at most `ms`. */
async function answersWithin(address: AdbServerAddress, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if ((await probeServer(address, 2_000)).ok) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Makes sure an adb server answers at `address`: when nothing listens on a local address, starts
 * one (`adb -P PORT start-server`), as adb itself does. Throws "adb server unreachable at …".
 */
export async function ensureServer(address: AdbServerAddress, log: (line: string) => void): Promise<void> {
  const probe = await probeServer(address);
  if (probe.ok) return;
  if (probe.code !== 'ECONNREFUSED' || !isLocalHost(address.host)) throw unreachable(address, probe.reason);
  log(`no adb server at ${formatAddress(address)}: starting one (adb -P ${address.port} start-server)`);
  const failure = await startServer(address.port);
  if (failure !== undefined) throw unreachable(address, `connection refused; ${failure}`);
  if (!(await answersWithin(address, 5_000))) throw unreachable(address, 'adb start-server ran, but nothing answers');
}

/** The adb server, through adbkit: the device list and a client per device. */
export class AdbServer {
  private constructor(
    readonly address: AdbServerAddress,
    private readonly client: KitClient,
  ) {}

  /** Connects (starting a local server if none runs). Progress lines go to `log`. */
  static async connect(address: AdbServerAddress, log: (line: string) => void = () => undefined): Promise<AdbServer> {
    await ensureServer(address, log);
    // adbkit starts a server itself on ECONNREFUSED by running `bin`: only ever a local one.
    const bin = isLocalHost(address.host) ? 'adb' : 'false';
    return new AdbServer(address, createKitClient({ host: address.host, port: address.port, bin }));
  }

  async devices(): Promise<AdbDeviceEntry[]> {
    try {
      const devices = await this.client.listDevices();
      return devices.map((device) => ({ serial: device.id, state: device.type }));
    } catch (error) {
      throw adbFailure(error, this.address, 'adb devices');
    }
  }

  /** adbkit's handle on one device; nothing is sent until it is used. */
  deviceClient(serial: string): KitDeviceClient {
    return this.client.getDevice(serial);
  }
}
