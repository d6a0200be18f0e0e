import { PSI_MARKER, PsiStreamParser, type PsiStreamSample } from '../../src/experiment-psi-stream.js';
import { parsePsi } from '../../src/psi.js';
import { shellQuote } from '../adb/shell-quote.js';
import type { Device } from '../device/device.js';

/** Whether `path` on the device reads as a PSI file now. */
export async function psiReadable(device: Device, path: string): Promise<boolean> {
  const run = await device.shell(`cat ${shellQuote(path)}`, { root: true, timeoutMs: 30_000 });
  if (run.exitCode !== 0) return false;
  try {
    parsePsi(run.output.replace(/\r/g, ''), path);
    return true;
  } catch {
    return false;
  }
}

/** Seconds for the device's sleep: fractions are fine for toybox and busybox. */
function sleepSeconds(ms: number): string {
  return (ms / 1000).toFixed(3).replace(/\.?0+$/, '');
}

/**
 * Samples a pressure file through the run with one long device shell (no adb connection per
 * sample): every interval it prints a marker and the file. Each sample goes to `onSample` as it
 * arrives, stamped with our clock. `stop()` ends the shell and waits for it.
 */
export class PsiSampler {
  private readonly controller = new AbortController();
  private readonly parser = new PsiStreamParser();
  private readonly done: Promise<number | null>;

  constructor(device: Device, path: string, intervalMs: number, onSample: (sample: PsiStreamSample) => void) {
    const seconds = sleepSeconds(intervalMs);
    // `|| sleep 1`: never a busy loop on a sleep that refuses fractions.
    const script = `while :; do echo ${PSI_MARKER}; cat ${shellQuote(path)} 2>/dev/null; sleep ${seconds} 2>/dev/null || sleep 1; done`;
    this.done = device
      .shellLines(
        script,
        (line) => {
          const sample = this.parser.line(line, Date.now());
          if (sample) onSample(sample);
        },
        { root: true, signal: this.controller.signal },
      )
      .catch(() => null);
  }

  /** Samples whose text did not parse. */
  get bad(): number {
    return this.parser.bad;
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.done;
  }
}
