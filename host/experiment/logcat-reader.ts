import { parseSystemKills, type SystemKill } from '../../src/experiment-logcat.js';
import type { Device } from '../device/device.js';

/** Exit code of the probe when the device has no logcat. */
const NO_LOGCAT = 3;

/** Whether the device has logcat (a real phone does; the simulated one does not). */
export async function logcatAvailable(device: Device): Promise<boolean> {
  const run = await device.shell(`command -v logcat >/dev/null 2>&1 || exit ${NO_LOGCAT}`, { timeoutMs: 30_000 });
  return run.exitCode === 0;
}

/**
 * The phone's own killer's kills still in the log buffers: lmkd's `lowmemorykiller` lines and
 * its `killinfo` events, dumped (-d) with epoch times. Root, so every buffer is readable.
 */
export async function readSystemKills(device: Device): Promise<SystemKill[]> {
  const run = await device.shell('logcat -d -v epoch -b main -b system -b events -s lowmemorykiller killinfo', { root: true, timeoutMs: 60_000 });
  return parseSystemKills(run.output);
}
