import { ProcessGoneError, ProcessHandle } from '../native/process-handle.js';

export interface Signalled<T> {
  readonly victim: T;
  readonly handle: ProcessHandle;
  readonly signalAtMs: number;
}

export interface KillAttempt<T> {
  readonly signalled: Signalled<T> | null;
  /** Victims that vanished (or whose pid now names another process) before the signal. */
  readonly gone: readonly { victim: T; why: string }[];
}

/**
 * SIGKILLs the first victim, in the order given, that is still the process we chose: its pidfd
 * is opened against the start time seen at the scan, so a recycled pid is refused, and one that
 * exits between choice and kill is skipped for the next.
 */
export function killFirstAlive<T extends { pid: number; startTime: number }>(
  victims: Iterable<T>,
  procRoot: string,
  now: () => number,
): KillAttempt<T> {
  const gone: { victim: T; why: string }[] = [];
  for (const victim of victims) {
    let handle: ProcessHandle | undefined;
    try {
      handle = ProcessHandle.open(victim.pid, { expectedStartTime: victim.startTime, procRoot });
      handle.kill();
      return { signalled: { victim, handle, signalAtMs: now() }, gone };
    } catch (error) {
      handle?.close();
      if (!(error instanceof ProcessGoneError)) throw error;
      gone.push({ victim, why: error.message });
    }
  }
  return { signalled: null, gone };
}
