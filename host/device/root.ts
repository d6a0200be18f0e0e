import { CliError } from '../cli-error.js';
import { shellQuote } from '../adb/shell-quote.js';
import type { ShellRun } from '../adb/shell.js';

/**
 * How a command gets root on a device: adbd already runs as root (`adb root`, engineering
 * builds), or `su -c CMD` (Magisk, KernelSU, SuperSU), or `su 0 sh -c CMD` (AOSP userdebug su,
 * which takes a uid and a command instead of -c).
 */
export type RootMethod = 'adbd' | 'su -c' | 'su 0 sh -c';

export type RootProbe = { readonly method: RootMethod } | { readonly method: null; readonly reason: string };

/** How long su may take to answer: a root manager may be asking the user. */
export const SU_TIMEOUT_MS = 20_000;

export function asRoot(method: RootMethod, command: string): string {
  switch (method) {
    case 'adbd':
      return command;
    case 'su -c':
      return `su -c ${shellQuote(command)}`;
    case 'su 0 sh -c':
      return `su 0 sh -c ${shellQuote(command)}`;
  }
}

function lastLine(output: string): string {
  return (
    output
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '')
      .at(-1) ?? ''
  );
}

type Run = (command: string, timeoutMs: number) => Promise<ShellRun>;

/** Runs `id -u` the given way; a timeout (su waiting for a user who does not answer) is a refusal. */
async function uidVia(run: Run, method: RootMethod): Promise<{ uid: string; run: ShellRun } | { uid: undefined; reason: string }> {
  try {
    const result = await run(asRoot(method, 'id -u'), SU_TIMEOUT_MS);
    return { uid: result.exitCode === 0 ? lastLine(result.output) : '', run: result };
  } catch (error) {
    if (!(error instanceof CliError) || !/did not finish within/.test(error.message)) throw error;
    return { uid: undefined, reason: `su did not answer within ${SU_TIMEOUT_MS / 1000} s (allow root for the shell in your root manager)` };
  }
}

/** Finds the way to root on a device, trying adbd, then `su -c`, then AOSP's `su 0`. */
export async function probeRoot(run: Run): Promise<RootProbe> {
  const self = await run('id -u', SU_TIMEOUT_MS);
  if (self.exitCode === 0 && lastLine(self.output) === '0') return { method: 'adbd' };
  const magisk = await uidVia(run, 'su -c');
  if (magisk.uid === '0') return { method: 'su -c' };
  if (magisk.uid === undefined) return { method: null, reason: magisk.reason };
  if (magisk.run.exitCode === 127) return { method: null, reason: 'su is missing' };
  const aosp = await uidVia(run, 'su 0 sh -c');
  if (aosp.uid === '0') return { method: 'su 0 sh -c' };
  if (aosp.uid === undefined) return { method: null, reason: aosp.reason };
  const said = lastLine(magisk.run.output) || lastLine(aosp.run.output);
  return { method: null, reason: `su was denied${said ? `: ${said}` : ''}` };
}
