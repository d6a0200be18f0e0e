import type { Device } from '../device/device.js';

export interface DeviceClock {
  /** Device wall clock minus ours, ms; null when `date` gave nothing usable. */
  readonly wallOffsetMs: number | null;
  /** Device boot time (/proc/uptime, CLOCK_BOOTTIME) minus our wall clock, ms; null if unreadable. */
  readonly uptimeOffsetMs: number | null;
}

/**
 * How the device's clocks relate to ours, from one shell that prints both: its wall clock
 * (`date +%s%N`, toybox and busybox; whole seconds where %N is not supported) and its uptime.
 * Our time is taken as the middle of the round trip.
 */
export async function readDeviceClock(device: Device): Promise<DeviceClock> {
  const before = Date.now();
  const run = await device.shell('echo "U $(cat /proc/uptime 2>/dev/null)"; echo "N $(date +%s%N 2>/dev/null)"; echo "S $(date +%s 2>/dev/null)"', { timeoutMs: 30_000 });
  const after = Date.now();
  const mid = (before + after) / 2;
  const line = (key: string): string | undefined =>
    run.output
      .split('\n')
      .map((text) => text.trim())
      .find((text) => text.startsWith(`${key} `))
      ?.slice(2)
      .trim();
  const uptime = /^(\d+(?:\.\d+)?)\s/.exec(`${line('U') ?? ''} `)?.[1];
  const nanos = line('N');
  const seconds = line('S');
  let wall: number | undefined;
  if (nanos !== undefined && /^\d{16,20}$/.test(nanos)) wall = Number(BigInt(nanos) / 1_000_000n);
  else if (seconds !== undefined && /^\d+$/.test(seconds)) wall = Number(seconds) * 1000 + 500;
  return {
    wallOffsetMs: wall === undefined ? null : Math.round(wall - mid),
    uptimeOffsetMs: uptime === undefined ? null : Math.round(Number(uptime) * 1000 - mid),
  };
}
