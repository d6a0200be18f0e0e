import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs the real adb client (Debian's), talking to its server on `serverPort` (default: adb's own, 5037 or $ANDROID_ADB_SERVER_PORT). */
export async function adb(args: readonly string[], timeoutMs = 20_000, serverPort?: number): Promise<{ stdout: string; stderr: string }> {
  const port = serverPort === undefined ? [] : ['-P', String(serverPort)];
  return run('adb', [...port, ...args], { encoding: 'utf8', timeout: timeoutMs });
}

/** The state adb devices reports for a serial ("device", "offline", …), if listed. */
export async function deviceState(serial: string, serverPort?: number): Promise<string | undefined> {
  const { stdout } = await adb(['devices'], undefined, serverPort);
  for (const line of stdout.split('\n')) {
    const [name, state] = line.trim().split(/\s+/);
    if (name === serial) return state;
  }
  return undefined;
}

/**
 * Registers a TCP device with the adb server and waits until it is online. A stale transport of
 * an earlier daemon on the same port would stay "offline", so it is disconnected first.
 */
export async function adbConnect(serial: string, timeoutMs = 15_000, serverPort?: number): Promise<void> {
  await adbDisconnect(serial, serverPort);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { stdout } = await adb(['connect', serial], undefined, serverPort);
    if (!/connected to/.test(stdout)) throw new Error(`adb connect ${serial}: ${stdout.trim()}`);
    if ((await deviceState(serial, serverPort)) === 'device') return;
    if (Date.now() > deadline) throw new Error(`adb: ${serial} did not come online`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function adbDisconnect(serial: string, serverPort?: number): Promise<void> {
  await adb(['disconnect', serial], undefined, serverPort).catch(() => undefined);
}
