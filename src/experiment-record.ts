import { z } from 'zod';
import { parseJsonLines } from './json-lines.js';
import { LAUNCH_STATES } from './experiment-am-start.js';
import { KillRecordSchema } from './kill-record.js';

/**
 * The raw records of an experiment run, one JSON object per line of `records.jsonl`, written as
 * they are measured (so an interrupted run keeps what it measured). Everything else in the
 * output folder (summary.csv, report.html, trace.json) is rebuilt from these by
 * `lmk experiment report DIR`. Times `t` are this machine's wall clock, ms since the epoch.
 */

const Ms = z.number().nonnegative();
const Time = z.number().nonnegative();
const ArmName = z.string();
const Round = z.int().min(1);

/** First line: what ran, where, and how the device's clocks relate to ours. */
export const RunRecordSchema = z.object({
  type: z.literal('run'),
  version: z.literal(1),
  t: Time,
  name: z.string(),
  serial: z.string(),
  /** The spec as parsed (arms in order, each config as written or null). */
  spec: z.object({
    apps: z.array(z.object({ package: z.string(), activity: z.string() })),
    rounds: z.int(),
    pauseMs: z.number(),
    settleMs: z.number(),
    background: z.object({ apps: z.array(z.object({ package: z.string(), activity: z.string() })), pauseMs: z.number() }).optional(),
    psi: z.object({ path: z.string().optional(), intervalMs: z.number() }),
    arms: z.array(z.object({ name: ArmName, config: z.record(z.string(), z.unknown()).nullable() })),
  }),
  /** Reaper CPU selection per arm, as reports show it ("little", "0", "-" for no lmk). */
  reaperCpus: z.record(z.string(), z.string()),
  /** The pressure file sampled, or null when none could be read. */
  psiSource: z.string().nullable(),
  /** Whether the phone's own killer could be read from logcat. */
  logcat: z.enum(['available', 'not available']),
  /** Device wall clock minus ours (ms), for kill times; null if the device's clock could not be read. */
  deviceClockOffsetMs: z.number().nullable(),
  /** Device CLOCK_BOOTTIME (/proc/uptime) minus our wall clock (ms): trace.json uses the device's boot time. */
  deviceUptimeOffsetMs: z.number().nullable(),
  /** The agent that ran before the experiment (restored after), or null. */
  agentBefore: z.object({ agentPid: z.int().nullable(), supervisorPid: z.int().nullable() }).nullable(),
});
export type RunRecord = z.output<typeof RunRecordSchema>;

/** One arm's turn in one round: its agent started (or none), its launches, its agent stopped. */
export const WindowRecordSchema = z.object({
  type: z.enum(['arm-start', 'arm-end']),
  t: Time,
  arm: ArmName,
  round: Round,
  /** arm-start: the agent running for this arm (null: none, the arm has no lmk). */
  agentPid: z.int().nullable().optional(),
});
export type WindowRecord = z.output<typeof WindowRecordSchema>;

export const LaunchRecordSchema = z.object({
  type: z.literal('launch'),
  /** When `am start` was sent. */
  t: Time,
  arm: ArmName,
  round: Round,
  package: z.string(),
  activity: z.string(),
  /** A background-load launch: not counted in launch statistics. */
  background: z.boolean(),
  ok: z.boolean(),
  launchState: z.enum(LAUNCH_STATES).nullable(),
  totalTimeMs: Ms.nullable(),
  waitTimeMs: Ms.nullable(),
  /** Round trip of the whole `am start -W` shell here, ms. */
  wallMs: Ms,
  error: z.string().nullable(),
});
export type LaunchRecord = z.output<typeof LaunchRecordSchema>;

/** A kill by lmk, from its kill log. */
export const LmkKillRecordSchema = z.object({
  type: z.literal('kill'),
  source: z.literal('lmk'),
  /** The kill's time on our clock (its record's time minus the device clock offset). */
  t: Time,
  arm: ArmName,
  round: Round,
  record: KillRecordSchema,
});
export type LmkKillRecord = z.output<typeof LmkKillRecordSchema>;

/** A kill by the phone's own killer, from logcat. */
export const SystemKillRecordSchema = z.object({
  type: z.literal('kill'),
  source: z.literal('system'),
  t: Time,
  arm: ArmName,
  round: Round,
  pid: z.int(),
  uid: z.int().nullable(),
  name: z.string().nullable(),
  adj: z.int().min(-1000).max(1000),
  minAdj: z.int().nullable(),
  rssKb: z.number().nullable(),
  swapKb: z.number().nullable(),
  reason: z.string().nullable(),
});
export type SystemKillRecord = z.output<typeof SystemKillRecordSchema>;

const PsiLine = z.object({ avg10: z.number().nonnegative(), totalUs: z.number().nonnegative() });

/** One PSI sample; arm and round are those of the window it fell in, null between windows. */
export const PsiRecordSchema = z.object({
  type: z.literal('psi'),
  t: Time,
  arm: ArmName.nullable(),
  round: Round.nullable(),
  some: PsiLine,
  full: PsiLine.nullable(),
});
export type PsiRecord = z.output<typeof PsiRecordSchema>;

export const NoteRecordSchema = z.object({
  type: z.literal('note'),
  t: Time,
  message: z.string(),
});
export type NoteRecord = z.output<typeof NoteRecordSchema>;

/** Last line: whether every round ran. */
export const EndRecordSchema = z.object({
  type: z.literal('end'),
  t: Time,
  complete: z.boolean(),
  /** Why it ended early: "interrupted", or an error's message. */
  reason: z.string().nullable(),
});
export type EndRecord = z.output<typeof EndRecordSchema>;

export const ExperimentRecordSchema = z.union([
  RunRecordSchema,
  WindowRecordSchema,
  LaunchRecordSchema,
  LmkKillRecordSchema,
  SystemKillRecordSchema,
  PsiRecordSchema,
  NoteRecordSchema,
  EndRecordSchema,
]);
export type ExperimentRecord = z.output<typeof ExperimentRecordSchema>;

/** A run's records, grouped; `skipped` counts lines that were not valid records. */
export interface ExperimentRecords {
  readonly run: RunRecord;
  readonly windows: readonly WindowRecord[];
  readonly launches: readonly LaunchRecord[];
  readonly lmkKills: readonly LmkKillRecord[];
  readonly systemKills: readonly SystemKillRecord[];
  readonly psi: readonly PsiRecord[];
  readonly notes: readonly NoteRecord[];
  readonly end: EndRecord | null;
  readonly skipped: number;
}

/** Parses records.jsonl. Throws when there is no run record (not an experiment's records). */
export function parseExperimentRecords(text: string): ExperimentRecords {
  let run: RunRecord | undefined;
  let end: EndRecord | null = null;
  const windows: WindowRecord[] = [];
  const launches: LaunchRecord[] = [];
  const lmkKills: LmkKillRecord[] = [];
  const systemKills: SystemKillRecord[] = [];
  const psi: PsiRecord[] = [];
  const notes: NoteRecord[] = [];
  const { records, skipped } = parseJsonLines(text, ExperimentRecordSchema);
  for (const record of records) {
    switch (record.type) {
      case 'run':
        run ??= record;
        break;
      case 'arm-start':
      case 'arm-end':
        windows.push(record);
        break;
      case 'launch':
        launches.push(record);
        break;
      case 'kill':
        if (record.source === 'lmk') lmkKills.push(record);
        else systemKills.push(record);
        break;
      case 'psi':
        psi.push(record);
        break;
      case 'note':
        notes.push(record);
        break;
      case 'end':
        end = record;
        break;
    }
  }
  if (!run) throw new Error('no run record: not the records of an lmk experiment');
  return { run, windows, launches, lmkKills, systemKills, psi, notes, end, skipped };
}
