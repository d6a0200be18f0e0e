import { BandCountsSchema } from '../src/band-report.js';
import { controlSocketPath } from '../src/control-protocol.js';
import { sendRequest, subscribe } from './control-client.js';

/**
 * `lmk-agent watch`: the agent's event stream (as `client subscribe` prints it) with, every
 * `bandsEveryMs`, a line `{"event":"bands","time":…,"bands":{cached: 3, …}}` from the agent's
 * status. One process on the device does both, so `lmk watch` needs one adb stream; and because it
 * writes at least that often, it notices within that time when the host went away (EPIPE).
 */
export async function watchWithBands(stateDir: string, bandsEveryMs: number, timeoutMs: number): Promise<void> {
  const socketPath = controlSocketPath(stateDir);
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  // Whoever reads us went away (`| head`, the host's adb stream): stop quietly.
  process.stdout.on('error', abort);
  const print = (message: object): void => {
    if (!controller.signal.aborted) process.stdout.write(`${JSON.stringify(message)}\n`);
  };
  let timer: NodeJS.Timeout | undefined;
  let polling = false;
  const poll = async (): Promise<void> => {
    if (polling || controller.signal.aborted) return;
    polling = true;
    try {
      const reply = await sendRequest(socketPath, { cmd: 'status' }, { timeoutMs });
      const bands = reply.ok ? BandCountsSchema.safeParse((reply as Record<string, unknown>)['bands']) : undefined;
      if (bands?.success) print({ event: 'bands', time: new Date().toISOString(), bands: bands.data });
    } catch {
      // the subscription reports the agent going away
    } finally {
      polling = false;
    }
  };
  try {
    const streaming = subscribe(socketPath, print, controller.signal, { timeoutMs });
    if (bandsEveryMs > 0) {
      void poll();
      timer = setInterval(() => void poll(), bandsEveryMs);
    }
    await streaming;
  } finally {
    clearInterval(timer);
    process.off('SIGINT', abort);
    process.off('SIGTERM', abort);
    process.stdout.off('error', abort);
  }
}
