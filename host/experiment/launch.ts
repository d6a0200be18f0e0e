import { performance } from 'node:perf_hooks';
import { parseAmStart, type AmStartResult } from '../../src/experiment-am-start.js';
import { componentOf, type AppRef } from '../../src/experiment-spec.js';
import { shellQuote } from '../adb/shell-quote.js';
import type { Device } from '../device/device.js';

/** Longest a launch may take before it counts as failed. */
const LAUNCH_TIMEOUT_MS = 120_000;

export interface Launch {
  /** When am start was sent, our wall clock (ms). */
  readonly t: number;
  /** Round trip of the whole shell, ms. */
  readonly wallMs: number;
  readonly result: AmStartResult;
}

/**
 * `am start -W -n PKG/ACTIVITY` on the device, as the shell user (as a person or a script would
 * launch an app). A launch that fails — am's error, a timeout, a lost connection — comes back as
 * a failed result, never as an exception: one bad launch does not end an experiment.
 */
export async function launchApp(device: Device, app: AppRef): Promise<Launch> {
  const t = Date.now();
  const started = performance.now();
  let result: AmStartResult;
  try {
    const run = await device.shell(`am start -W -n ${shellQuote(componentOf(app))}`, { timeoutMs: LAUNCH_TIMEOUT_MS });
    result = parseAmStart(run.output, run.exitCode);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    result = { ok: false, status: null, launchState: null, totalTimeMs: null, waitTimeMs: null, thisTimeMs: null, activity: null, warnings: [], error: message.split('\n')[0] ?? message };
  }
  return { t, wallMs: Math.round((performance.now() - started) * 10) / 10, result };
}
