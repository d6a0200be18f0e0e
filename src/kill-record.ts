import { z } from 'zod';
import { BAND_NAMES, bandOf } from './bands.js';
import { KILL_REASONS } from './kill-reason.js';

/**
 * What the agent logs and streams: one record per kill (DESIGN.md "Interfaces") and one per
 * PSI event. `event` tells them apart in one log. Objects are not strict: a log line carries
 * logger fields too (pino's level, msg), and readers should survive fields added later.
 */

const Kb = z.number().nonnegative();
const Ms = z.number().nonnegative();
const Percent = z.number().min(0).max(100);

/** Memory PSI averages at decision time, %. */
export const PsiAveragesSchema = z.object({
  someAvg10: Percent,
  fullAvg10: Percent,
});

/** process_mrelease's result, from the reaper thread. */
export const ReapResultSchema = z.object({
  ms: Ms,
  /** e.g. "ESRCH" (the victim already passed exit_mm: not a failure), null on success. */
  errno: z.string().nullable(),
  /** The CPU the reaper ran on, null if unknown. */
  cpu: z.int().min(0).nullable(),
});

export const KillRecordSchema = z.object({
  event: z.literal('kill'),
  /** ISO 8601 wall-clock time of the decision. */
  time: z.iso.datetime({ offset: true }),
  pid: z.int().positive(),
  uid: z.int().min(0),
  /** Package or process name. */
  name: z.string(),
  adj: z.int().min(-1000).max(1000),
  band: z.enum(BAND_NAMES),
  minAdj: z.int().min(0).max(1001),
  reason: z.enum(KILL_REASONS),
  /** The policy's description, like lmkd's kill_desc. */
  description: z.string(),
  rssKb: Kb,
  swapKb: Kb,
  psi: PsiAveragesSchema,
  /** Decision → signal sent. */
  killMs: Ms,
  /** null when not reaped (dry run, reaping unsupported, or reapers busy). */
  reap: ReapResultSchema.nullable(),
  /** Memory the victim gave back, null if not measured. */
  freedKb: Kb.nullable(),
  /** Signal → victim's pidfd readable (it is gone); null if it did not die within the wait. */
  exitMs: Ms.nullable(),
  /** Nothing was signalled: the record says what would have been killed. */
  dryRun: z.boolean(),
});

export type KillRecord = z.output<typeof KillRecordSchema>;

/** A PSI trigger fired. */
export const PressureEventSchema = z.object({
  event: z.literal('pressure'),
  time: z.iso.datetime({ offset: true }),
  /** 'some' is lmkd's medium level, 'full' its critical level. */
  trigger: z.enum(['some', 'full']),
  psi: PsiAveragesSchema,
});

export type PressureEvent = z.output<typeof PressureEventSchema>;

/** Either line of the kill log. */
export const LogEventSchema = z.discriminatedUnion('event', [KillRecordSchema, PressureEventSchema]);

export type LogEvent = z.output<typeof LogEventSchema>;

/** What a record says of the victim, from the scan that chose it. */
export interface RecordedVictim {
  readonly pid: number;
  readonly uid: number;
  readonly name: string;
  readonly adj: number;
  readonly rssKb: number;
  readonly swapKb: number;
}

/** The decision behind a kill, as the record keeps it. */
export interface RecordedDecision {
  readonly reason: KillRecord['reason'];
  readonly minAdj: number;
  readonly description: string;
}

/** Assembles a kill record (pure: the time is given). */
export function buildKillRecord(
  time: string,
  victim: RecordedVictim,
  decision: RecordedDecision,
  psi: { readonly someAvg10: number; readonly fullAvg10: number },
  outcome: Pick<KillRecord, 'killMs' | 'reap' | 'freedKb' | 'exitMs' | 'dryRun'>,
): KillRecord {
  return {
    event: 'kill',
    time,
    pid: victim.pid,
    uid: victim.uid,
    name: victim.name,
    adj: victim.adj,
    band: bandOf(victim.adj),
    minAdj: decision.minAdj,
    reason: decision.reason,
    description: decision.description,
    rssKb: victim.rssKb,
    swapKb: victim.swapKb,
    psi: { someAvg10: psi.someAvg10, fullAvg10: psi.fullAvg10 },
    ...outcome,
  };
}
