import { closeSync, constants, openSync, writeSync } from 'node:fs';

export interface PsiTriggerSpec {
  readonly kind: 'some' | 'full';
  readonly stallUs: number;
  readonly windowUs: number;
}

export interface PsiTrigger {
  readonly path: string;
  readonly fd: number;
  readonly requested: PsiTriggerSpec;
  /** What the kernel accepted: differs from `requested` when the window had to be scaled. */
  readonly actual: PsiTriggerSpec;
  /** Why `actual` differs, for the log; undefined when it does not. */
  readonly scaledBecause?: string;
}

/** Without CAP_SYS_RESOURCE the kernel only accepts windows that are multiples of 2 s (6.4+). */
export const UNPRIVILEGED_WINDOW_US = 2_000_000;

export function formatTrigger(spec: PsiTriggerSpec): string {
  return `${spec.kind} ${spec.stallUs} ${spec.windowUs}`;
}

/** The same stall share over the nearest window the kernel accepts without the capability. */
export function scaleToUnprivilegedWindow(spec: PsiTriggerSpec): PsiTriggerSpec {
  const windowUs = Math.max(UNPRIVILEGED_WINDOW_US, Math.ceil(spec.windowUs / UNPRIVILEGED_WINDOW_US) * UNPRIVILEGED_WINDOW_US);
  return { kind: spec.kind, windowUs, stallUs: Math.round((spec.stallUs * windowUs) / spec.windowUs) };
}

function tryOpen(path: string, spec: PsiTriggerSpec): number {
  const fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
  try {
    // /proc/pressure/* overwrites the last byte written with NUL: the terminator must be sent.
    writeSync(fd, `${formatTrigger(spec)}\0`);
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/**
 * Registers a PSI trigger on `path` (/proc/pressure/memory or a cgroup2 memory.pressure). The fd
 * signals POLLPRI when the stall threshold is crossed. Falls back to a 2 s window when the
 * kernel refuses the requested one for want of CAP_SYS_RESOURCE.
 */
export function openPsiTrigger(path: string, requested: PsiTriggerSpec): PsiTrigger {
  try {
    return { path, fd: tryOpen(path, requested), requested, actual: requested };
  } catch (error) {
    const scaled = scaleToUnprivilegedWindow(requested);
    const refused = error instanceof Error && 'code' in error && error.code === 'EINVAL';
    if (!refused || scaled.windowUs === requested.windowUs) throw error;
    return {
      path,
      fd: tryOpen(path, scaled),
      requested,
      actual: scaled,
      scaledBecause: `kernel refused "${formatTrigger(requested)}" (no CAP_SYS_RESOURCE?): using "${formatTrigger(scaled)}"`,
    };
  }
}

export function closePsiTrigger(trigger: PsiTrigger): void {
  closeSync(trigger.fd);
}
