import { CliError } from '../cli-error.js';
import type { AdbDeviceEntry } from './server.js';

/**
 * Serials as adb prints them: USB serial numbers, emulator-5554, host:port, [v6]:port, mDNS
 * names (adb-XXXX._adb-tls-connect._tcp), usb:1-1. Nothing a shell or a message could misread.
 */
export function checkSerial(serial: string): string {
  if (serial === '' || serial.length > 255 || !/^[A-Za-z0-9._:\-[\]%@+/]+$/.test(serial)) {
    throw new CliError(`'${serial.replace(/[^\x20-\x7e]/g, '?')}' is not a device serial`);
  }
  return serial;
}

function whyNotReady(entry: AdbDeviceEntry): string {
  switch (entry.state) {
    case 'unauthorized':
      return `device ${entry.serial} is unauthorized: allow USB debugging in the prompt on the phone`;
    case 'offline':
      return `device ${entry.serial} is offline: reconnect it (or adb reconnect)`;
    default:
      return `device ${entry.serial} is not ready (state: ${entry.state})`;
  }
}

function listed(entries: readonly AdbDeviceEntry[]): string {
  return entries.map((entry) => (entry.state === 'device' ? entry.serial : `${entry.serial} (${entry.state})`)).join(', ');
}

/**
 * The device to act on: `wanted` (from -s or $ANDROID_SERIAL) if adb has it ready, else the only
 * ready device. One clear error for: unknown serial, not ready, none, several.
 */
export function selectDevice(entries: readonly AdbDeviceEntry[], wanted: string | undefined): AdbDeviceEntry {
  if (wanted !== undefined && wanted !== '') {
    const serial = checkSerial(wanted);
    const entry = entries.find((candidate) => candidate.serial === serial);
    if (!entry) throw new CliError(`no device ${serial} (adb sees ${entries.length === 0 ? 'no devices' : listed(entries)})`);
    if (entry.state !== 'device') throw new CliError(whyNotReady(entry));
    return entry;
  }
  const ready = entries.filter((entry) => entry.state === 'device');
  const [only] = ready;
  if (only && ready.length === 1) return only;
  if (ready.length > 1) throw new CliError(`several devices: ${listed(ready)}; choose one with -s SERIAL`);
  const [notReady] = entries;
  if (notReady && entries.length === 1) throw new CliError(whyNotReady(notReady));
  if (entries.length > 1) throw new CliError(`no device is ready: ${listed(entries)}`);
  throw new CliError('no device: adb sees none (connect one, or adb connect HOST:PORT)');
}
