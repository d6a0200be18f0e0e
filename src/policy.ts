import type { LmkConfig } from './config.js';
import { killReason, type KillReason } from './kill-reason.js';
import { lowestBreachedWatermark, swapLevel } from './memory-levels.js';
import type { MemorySample } from './memory-sample.js';
import { keepPolling, nextPolling, type PollingState } from './polling.js';
import {
  cutThrashingLimit,
  measureThrashing,
  restartThrashingAfterKill,
  startThrashing,
  type ThrashingState,
} from './thrashing.js';

/**
 * The kill decision, lmkd's __mp_event_psi as a pure function over one sample. The device calls
 * decide() on every PSI event and on every poll tick while polling is on; it skips the call while
 * a victim is still dying (lmkd's "kill pending") and refreshes the watermarks before the first
 * kill it makes (lmkd re-reads zoneinfo then).
 */

export type Trigger = 'some' | 'full' | 'poll';

export interface DecideInput {
  readonly sample: MemorySample;
  /** The PSI trigger that fired, or 'poll' for a polling tick. */
  readonly trigger: Trigger;
  /**
   * The first decision after a kill: the victim died or the kill timeout passed (lmkd treats
   * both alike). Also true in dry-run after a decision the device "acted" on.
   */
  readonly afterKill: boolean;
}

export interface KillDecision {
  readonly reason: KillReason;
  /** Kill nothing below this oom_score_adj. */
  readonly minAdj: number;
  /** Like lmkd's: "min watermark is breached and swap is low (XkB < YkB)". */
  readonly description: string;
  readonly thrashingPercent: number;
  /** Highest thrashing % since the previous kill. */
  readonly maxThrashingPercent: number;
}

/** What lmkd keeps in statics between invocations. */
export interface PolicyState {
  /** The last PSI event's trigger; reset by a poll (lmkd's prev_level). */
  readonly lastEvent: 'some' | 'full' | null;
  /** The previous sample's counters, to tell reclaim and refaults from quiet. */
  readonly vmstat: MemorySample['vmstat'] | null;
  readonly thrashing: ThrashingState | null;
  /** null: not polling; wait for the next PSI event. */
  readonly polling: PollingState | null;
}

export interface PolicyOutcome {
  readonly state: PolicyState;
  /** When to call decide() again with trigger 'poll'; null = stop polling. */
  readonly pollIntervalMs: number | null;
}

export type DecideResult =
  | (PolicyOutcome & { readonly decision: null })
  | (PolicyOutcome & {
      /** `state` and `pollIntervalMs` assume the device kills a victim. */
      readonly decision: KillDecision;
      /** Use these instead when there was no eligible victim, as lmkd does when nothing was killed. */
      readonly ifNoVictim: PolicyOutcome;
    });

export function initialPolicyState(): PolicyState {
  return { lastEvent: null, vmstat: null, thrashing: null, polling: null };
}

type Reclaim = 'direct' | 'kswapd' | 'none' | 'unknown';

/** lmkd without BPF memevents: reclaim is happening if its scan counters moved since last time. */
function reclaimOf(previous: MemorySample['vmstat'] | null, current: MemorySample['vmstat']): Reclaim {
  // No previous counters (the first call): we cannot tell, so neither bail out nor claim direct reclaim.
  if (!previous) return 'unknown';
  if (current.pgscanDirect !== previous.pgscanDirect) return 'direct';
  if (current.pgscanKswapd !== previous.pgscanKswapd || current.pgrefill !== previous.pgrefill) return 'kswapd';
  return 'none';
}

function outcome(state: PolicyState): PolicyOutcome {
  return { state, pollIntervalMs: state.polling?.intervalMs ?? null };
}

export function decide(input: DecideInput, state: PolicyState, config: LmkConfig): DecideResult {
  const { sample, trigger, afterKill } = input;
  const atMs = sample.atMs;

  // A lower event right after a higher one must not downgrade it. A decision after a kill is
  // exempt: lmkd always polls first after a death, and that poll resets the level.
  if (trigger === 'some' && state.lastEvent === 'full' && !afterKill) {
    return { decision: null, ...outcome({ ...state, polling: keepPolling(state.polling, atMs, config.polling) }) };
  }
  const lastEvent = trigger === 'poll' ? null : trigger;

  let thrashing = state.thrashing ?? startThrashing(sample, config.thrashing.limitPercent);
  if (afterKill) thrashing = restartThrashingAfterKill(thrashing, sample);

  const swap = swapLevel(sample, config.swapFreeLowPercent, config.swapCompressionRatio);
  const reclaim = reclaimOf(state.vmstat, sample.vmstat);
  // Polling (re)starts on an event, after a kill and in direct reclaim, not for kswapd, which
  // may reclaim for a long time without causing pressure.
  const startPolling = trigger !== 'poll' || afterKill || reclaim === 'direct';
  const quietState = (thrashingState: ThrashingState): PolicyState => ({
    lastEvent,
    vmstat: sample.vmstat,
    thrashing: thrashingState,
    polling: nextPolling(state.polling, atMs, startPolling, swap.low, config.polling),
  });

  // Early bail-out: no reclaim and no new refaults, nothing to judge until those move.
  if (reclaim === 'none' && sample.vmstat.workingsetRefault === state.vmstat?.workingsetRefault) {
    return { decision: null, ...outcome(quietState(thrashing)) };
  }

  const measured = measureThrashing(thrashing, sample, config.thrashing);
  const verdict = killReason(
    {
      afterKill,
      fullStallEvent: trigger === 'full',
      watermark: lowestBreachedWatermark(sample),
      swap,
      thrashingPercent: measured.percent,
      thrashingLimitPercent: measured.state.limitPercent,
      directReclaim: reclaim === 'direct',
      fullAvg10: sample.psi.fullAvg10,
    },
    config,
  );
  const noKill = outcome(quietState(measured.state));
  if (!verdict) return { decision: null, ...noKill };

  const decision: KillDecision = {
    reason: verdict.reason,
    minAdj: verdict.minAdj,
    description: verdict.description,
    thrashingPercent: measured.percent,
    maxThrashingPercent: measured.state.maxPercent,
  };
  const afterThrashingKill = verdict.cutsThrashingLimit
    ? cutThrashingLimit(measured.state, config.thrashing.decayPercent)
    : measured.state;
  // After a kill lmkd polls fast for a full window from the moment the victim is gone; the
  // device waits for the victim, then calls again with afterKill.
  const killedState: PolicyState = {
    lastEvent,
    vmstat: sample.vmstat,
    thrashing: { ...afterThrashingKill, maxPercent: 0 },
    polling: nextPolling(state.polling, atMs, true, true, config.polling),
  };
  return { decision, ...outcome(killedState), ifNoVictim: noKill };
}
