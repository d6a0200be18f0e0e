import type { Psi } from './psi.js';

/**
 * Whether a PSI trigger's event reflects stall that happened since `sinceTotalUs` (the stall
 * total when the trigger was opened, or at its last genuine event). A trigger opened without
 * CAP_SYS_RESOURCE starts its window from a total only privileged triggers keep current, so its
 * first update can count the group's whole stall history and fire on stall long past; acting
 * on that would kill at floor 0 right after start or reload.
 */
export function stallSinceIsReal(sinceTotalUs: number, nowTotalUs: number, thresholdUs: number): boolean {
  return nowTotalUs - sinceTotalUs >= thresholdUs;
}

/** The cumulative stall of one PSI line kind, in µs (full is absent on some files: 0). */
export function stallTotalUs(psi: Psi, kind: 'some' | 'full'): number {
  return kind === 'some' ? psi.some.totalUs : (psi.full?.totalUs ?? 0);
}
