import type { LmkConfig } from './config.js';
import type { SwapLevel, WatermarkBreach } from './memory-levels.js';

/**
 * Why the policy asks for a kill: lmkd's `enum kill_reasons` names, in the order __mp_event_psi
 * tests them (first match wins). lmkd's reasons that need BPF memevents, swap_util_max or
 * filecache_min_kb (all off by default) are not implemented.
 */
export const KILL_REASONS = [
  'PRESSURE_AFTER_KILL',
  'NOT_RESPONDING',
  'LOW_SWAP_AND_THRASHING',
  'LOW_MEM_AND_SWAP',
  'LOW_MEM_AND_THRASHING',
  'DIRECT_RECL_AND_THRASHING',
  'LOW_MEM',
] as const;

export type KillReason = (typeof KILL_REASONS)[number];

/** What the reasons are judged on, all derived from one sample and the policy state. */
export interface PressureFacts {
  /** First invocation after a kill (lmkd's cycle_after_kill). */
  readonly afterKill: boolean;
  /** A "full" PSI trigger fired (an event, not a poll). */
  readonly fullStallEvent: boolean;
  readonly watermark: WatermarkBreach;
  readonly swap: SwapLevel;
  readonly thrashingPercent: number;
  /** The decayed limit in force now (the swap reason compares the configured one). */
  readonly thrashingLimitPercent: number;
  readonly directReclaim: boolean;
  /** PSI memory full avg10, %. */
  readonly fullAvg10: number;
}

export type ReasonSettings = Pick<LmkConfig, 'minAdj' | 'thrashing' | 'stallLimitCriticalPercent'>;

export interface ReasonVerdict {
  readonly reason: KillReason;
  readonly minAdj: number;
  /** lmkd's kill_desc. */
  readonly description: string;
  /** A thrashing kill: the limit is cut if it goes ahead. */
  readonly cutsThrashingLimit: boolean;
}

/**
 * lmkd's __mp_event_psi reason chain, first match wins, then the critical-stall override.
 * Below the low watermark means 'min' or 'low' (lmkd's `wmark < WMARK_HIGH`).
 */
export function killReason(facts: PressureFacts, settings: ReasonSettings): ReasonVerdict | null {
  const floors = settings.minAdj;
  const { swap, thrashingPercent: thrashing, watermark } = facts;
  const belowMin = watermark === 'min';
  const belowLow = belowMin || watermark === 'low';
  const criticalThrashing = thrashing >= settings.thrashing.criticalPercent;
  const breached = belowMin ? 'min' : 'low';
  const swapText = `${swap.usableKb}kB < ${swap.thresholdKb}kB`;

  // Swap reasons keep perceptible apps unless below min or thrashing critically; thrashing
  // reasons unless thrashing critically. An escalation only ever lowers the floor.
  const thrashingFloor = criticalThrashing ? Math.min(floors.thrashing, floors.criticalThrashing) : floors.thrashing;
  const swapFloor = Math.min(
    belowMin ? floors.minWatermark : floors.lowSwap,
    criticalThrashing ? floors.criticalThrashing : floors.lowSwap,
  );

  let verdict: ReasonVerdict | null = null;
  if (facts.afterKill && belowMin) {
    // The kill did not free enough: memory is being eaten faster than reclaim and kills free it.
    verdict = verdictOf('PRESSURE_AFTER_KILL', floors.pressureAfterKill, 'min watermark is breached even after kill');
  } else if (facts.fullStallEvent) {
    verdict = verdictOf('NOT_RESPONDING', floors.fullStall, 'device is not responding');
  } else if (swap.low && thrashing > settings.thrashing.limitPercent) {
    verdict = verdictOf(
      'LOW_SWAP_AND_THRASHING',
      swapFloor,
      `device is low on swap (${swapText}) and thrashing (${thrashing}%)`,
    );
  } else if (swap.low && belowLow) {
    verdict = verdictOf('LOW_MEM_AND_SWAP', swapFloor, `${breached} watermark is breached and swap is low (${swapText})`);
  } else if (belowLow && thrashing > facts.thrashingLimitPercent) {
    verdict = verdictOf(
      'LOW_MEM_AND_THRASHING',
      thrashingFloor,
      `${breached} watermark is breached and thrashing (${thrashing}%)`,
      true,
    );
  } else if (facts.directReclaim && thrashing > facts.thrashingLimitPercent) {
    verdict = verdictOf(
      'DIRECT_RECL_AND_THRASHING',
      thrashingFloor,
      `device is in direct reclaim and thrashing (${thrashing}%)`,
      true,
    );
  } else if (belowLow && floors.lowMemory <= 1000) {
    verdict = verdictOf('LOW_MEM', floors.lowMemory, `${breached} watermark is breached`);
  }
  if (!verdict) return null;

  // A system stalled on memory may lose perceptible apps whatever the reason.
  if (facts.fullAvg10 > settings.stallLimitCriticalPercent && verdict.minAdj > floors.fullStall) {
    return {
      ...verdict,
      minAdj: floors.fullStall,
      description: `${verdict.description}; memory full stall ${facts.fullAvg10}% > ${settings.stallLimitCriticalPercent}%`,
    };
  }
  return verdict;
}

function verdictOf(reason: KillReason, minAdj: number, description: string, cutsThrashingLimit = false): ReasonVerdict {
  return { reason, minAdj, description, cutsThrashingLimit };
}
