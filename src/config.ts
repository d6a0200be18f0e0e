import { z } from 'zod';
import { MAX_CPU_ID } from './cpu-list.js';

/**
 * The agent's config: one JSON object, every field defaulted to stock lmkd's value (lmkd.md §5),
 * so `{}` is a valid config. Unknown keys are refused so a typo never silently means "default".
 */

/**
 * How name patterns (protectedPackages, prefer, avoid) are compiled: no flags, unanchored, like
 * grep. "com\\.whatsapp" also matches "com.whatsapp:pushservice"; anchor with ^…$ to be exact.
 */
export function compileNamePattern(source: string): RegExp {
  return new RegExp(source);
}

const NamePatternSchema = z.string().superRefine((source, ctx) => {
  try {
    compileNamePattern(source);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
  }
});

const NamePatternsSchema = z.array(NamePatternSchema).default(() => []);

const CgroupWatermarksSchema = z
  .strictObject({
    minPercent: z.number().gt(0).max(50).default(1),
    lowPercent: z.number().gt(0).max(50).default(2),
    highPercent: z.number().gt(0).max(50).default(3),
  })
  .superRefine((w, ctx) => {
    if (w.lowPercent < w.minPercent) {
      ctx.addIssue({ code: 'custom', path: ['lowPercent'], message: `must be >= minPercent (${w.minPercent})` });
    } else if (w.highPercent < w.lowPercent) {
      ctx.addIssue({ code: 'custom', path: ['highPercent'], message: `must be >= lowPercent (${w.lowPercent})` });
    }
  });

/**
 * What memory the agent guards. `system`: the whole device, from /proc (zone watermarks from
 * /proc/zoneinfo). `cgroup`: one memory cgroup, for tests and for confining the agent's effect;
 * a cgroup has no zone watermarks, so they are percentages of its limit.
 */
const ScopeSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('system') }),
    z.strictObject({
      kind: z.literal('cgroup'),
      /** cgroup2 directory whose memory.pressure we watch. */
      cgroup2: z.string().min(1),
      /** cgroup-v1 memory directory holding the limit; omitted when the cgroup2 dir has memory.max. */
      memcg: z.string().min(1).optional(),
      /**
       * Free (limit − usage + inactive_file) below these % of the limit counts as a breach.
       * 1/2/3 %: equally spaced like the kernel's min/low/high, and a few times wider than a
       * phone's zone watermarks (~0.3–0.5 % of RAM) because a cgroup has no kswapd keeping
       * headroom: every allocation burst eats straight into it, and at the limit the kernel's
       * own OOM killer acts first.
       */
      watermarks: CgroupWatermarksSchema.prefault({}),
    }),
  ])
  .default({ kind: 'system' });

/** PSI triggers, as lmkd registers them (ro.lmk.psi_partial_stall_ms / psi_complete_stall_ms). */
const PsiSchema = z
  .strictObject({
    /** "some" trigger threshold; 0 = do not register it. lmkd: 70 (200 on low-RAM devices). */
    partialStallMs: z.int().min(0).default(70),
    /** "full" trigger threshold; 0 = do not register it. */
    completeStallMs: z.int().min(0).default(700),
    /** Tracking window; the kernel has always accepted 500 ms..10 s. */
    windowMs: z.int().min(500).max(10_000).default(1000),
  })
  .superRefine((psi, ctx) => {
    // The kernel refuses a threshold above the window (EINVAL).
    for (const key of ['partialStallMs', 'completeStallMs'] as const) {
      if (psi[key] > psi.windowMs) {
        ctx.addIssue({ code: 'custom', path: [key], message: `must be <= psi.windowMs (${psi.windowMs})` });
      }
    }
    if (psi.partialStallMs === 0 && psi.completeStallMs === 0) {
      ctx.addIssue({ code: 'custom', path: ['partialStallMs'], message: 'both triggers are 0: the agent would never wake' });
    }
  });

/** Polling after a PSI event: PSI notifies at most once per window, so lmkd polls in between. */
const PollingSchema = z.strictObject({
  /** While killing or while swap is low (PSI_POLL_PERIOD_SHORT_MS). */
  fastIntervalMs: z.int().min(1).max(10_000).default(10),
  /** Otherwise (PSI_POLL_PERIOD_LONG_MS). */
  slowIntervalMs: z.int().min(1).max(10_000).default(100),
  /** How long polling lasts after an event, a kill or direct reclaim (PSI_WINDOW_SIZE_MS). */
  windowMs: z.int().min(0).max(60_000).default(1000),
});

/** The lowest oom_score_adj each kind of reason may kill (lmkd never goes below 0). */
const MinAdjSchema = z.strictObject({
  /** LOW_MEM (ro.lmk.lowmem_min_oom_score): cached apps but the last previous one. lmkd clamps it to >= 201; 1001 turns LOW_MEM off. */
  lowMemory: z.int().min(201).max(1001).default(701),
  /** LOW_MEM_AND_THRASHING, DIRECT_RECL_AND_THRASHING: PERCEPTIBLE_APP_ADJ + 1. */
  thrashing: z.int().min(0).max(1000).default(201),
  /** LOW_SWAP_AND_THRASHING, LOW_MEM_AND_SWAP: PERCEPTIBLE_APP_ADJ + 1. */
  lowSwap: z.int().min(0).max(1000).default(201),
  /** Any thrashing or swap reason once thrashing reaches thrashing.criticalPercent. */
  criticalThrashing: z.int().min(0).max(1000).default(0),
  /** NOT_RESPONDING (a "full" PSI event), and any reason while stallLimitCriticalPercent is exceeded. */
  fullStall: z.int().min(0).max(1000).default(0),
  /** The swap reasons when the min watermark is breached. */
  minWatermark: z.int().min(0).max(1000).default(0),
  /** PRESSURE_AFTER_KILL (ro.lmk.pressure_after_kill_min_score). */
  pressureAfterKill: z.int().min(0).max(1000).default(0),
});

/** Refaults as % of the file LRU per 1 s window (ro.lmk.thrashing_limit*). */
const ThrashingSchema = z
  .strictObject({
    limitPercent: z.int().min(0).default(100),
    /** The limit is cut by this % after each thrashing kill, and restored every window. */
    decayPercent: z.int().min(0).max(100).default(10),
    /** Above this, perceptible apps may go. lmkd's default is 3 × limitPercent, so it follows it. */
    criticalPercent: z.int().min(0).optional(),
  })
  .transform((t) => ({
    limitPercent: t.limitPercent,
    decayPercent: t.decayPercent,
    criticalPercent: t.criticalPercent ?? t.limitPercent * 3,
  }));

const CpuSelectionSchema = z.union(
  [
    z.enum(['little', 'big', 'all']),
    z
      .array(z.int().min(0).max(MAX_CPU_ID))
      .min(1)
      .refine((ids) => new Set(ids).size === ids.length, { message: 'duplicate CPU id' }),
  ],
  { error: 'expected "little", "big", "all" or a list of CPU ids' },
);

/** Threads that call process_mrelease on victims. lmkd: 2 threads, SCHED_OTHER at nice -20. */
const ReaperSchema = z.strictObject({
  /** Where reapers run: process_mrelease works on the caller's CPU. lmkd keeps them off little cores. */
  cpus: CpuSelectionSchema.default('little'),
  threads: z.int().min(1).max(16).default(2),
  nice: z.int().min(-20).max(19).default(-20),
});

const KillLogSchema = z.strictObject({
  maxBytes: z.int().min(4096).default(1024 * 1024),
  /** Files kept, the current one included. */
  files: z.int().min(1).max(100).default(3),
});

export const LmkConfigSchema = z.strictObject({
  scope: ScopeSchema,
  psi: PsiSchema.prefault({}),
  polling: PollingSchema.prefault({}),
  /** Longest wait for a victim to die before deciding again (ro.lmk.kill_timeout_ms); 0 = forever. */
  killTimeoutMs: z.int().min(0).max(60_000).default(100),
  minAdj: MinAdjSchema.prefault({}),
  /** Swap is low below this % of SwapTotal (ro.lmk.swap_free_low_percentage); 0 = never low. */
  swapFreeLowPercent: z.int().min(0).max(100).default(10),
  /**
   * Usable swap = min(SwapFree, (MemFree + Inactive(file)) × ratio), because zram needs RAM to
   * back it (ro.lmk.swap_compression_ratio); 0 = trust SwapFree.
   */
  swapCompressionRatio: z.int().min(0).default(1),
  thrashing: ThrashingSchema.prefault({}),
  /** PSI memory full avg10 above this % lets any reason kill down to minAdj.fullStall; 100 = off. */
  stallLimitCriticalPercent: z.number().min(0).max(100).default(100),
  /** Heaviest first at every adj, not only at adj <= 200 (ro.lmk.kill_heaviest_task). */
  killHeaviest: z.boolean().default(false),
  /**
   * Which processes may be killed at all: 'apps' only Android app uids (app id 10000–19999, or
   * isolated 90000–99999, in any user), as lmkd only kills what ActivityManager registered;
   * 'all' any process at or above the floor (Linux); 'auto' apps on Android, all elsewhere.
   */
  candidates: z.enum(['auto', 'apps', 'all']).default('auto'),
  /** Name patterns never killed. */
  protectedPackages: NamePatternsSchema,
  /** Name patterns killed first among eligible candidates. */
  prefer: NamePatternsSchema,
  /** Name patterns killed only when nothing else is eligible. */
  avoid: NamePatternsSchema,
  reaper: ReaperSchema.prefault({}),
  stateDir: z
    .string()
    .refine((dir) => dir.startsWith('/'), { message: 'must be an absolute path' })
    .default('/run/lmk'),
  killLog: KillLogSchema.prefault({}),
  /** Decide and log, but never signal. */
  dryRun: z.boolean().default(false),
});

export type LmkConfig = z.output<typeof LmkConfigSchema>;
/** What a config file may contain (everything optional). */
export type LmkConfigInput = z.input<typeof LmkConfigSchema>;

export type ConfigResult = { ok: true; config: LmkConfig } | { ok: false; error: string };

type Issue = z.core.$ZodIssue;

function formatPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

/**
 * One line for one issue. A union's issue is replaced by the issue of the branch that got
 * furthest (deepest path), so `reaper.cpus: [-1]` names `reaper.cpus.0`, not "Invalid input".
 */
function formatIssue(issue: Issue, prefix: readonly PropertyKey[] = []): string {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'unrecognized_keys') {
    return `${formatPath([...path, issue.keys[0] ?? '?'])}: Unrecognized key`;
  }
  if (issue.code === 'invalid_union') {
    let deepest: Issue | undefined;
    for (const branch of issue.errors) {
      const first = branch[0];
      if (first && first.path.length > 0 && (!deepest || first.path.length > deepest.path.length)) deepest = first;
    }
    if (deepest) return formatIssue(deepest, path);
  }
  return `${formatPath(path)}: ${issue.message}`;
}

/** Validates a parsed JSON value. The error names the first bad field's path. */
export function parseConfig(json: unknown): ConfigResult {
  const result = LmkConfigSchema.safeParse(json);
  if (result.success) return { ok: true, config: result.data };
  const first = result.error.issues[0];
  return { ok: false, error: first ? formatIssue(first) : 'invalid config' };
}

/** Turns V8's "at position N" into "line L column C", which an editor can jump to. */
function describeJsonError(message: string, text: string): string {
  const oneLine = message.replace(/\s+/g, ' ').trim();
  const match = / at position (\d+)/.exec(oneLine);
  if (!match || /line \d+ column \d+/.test(oneLine)) return oneLine;
  const before = text.slice(0, Number(match[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${oneLine.slice(0, match.index)} at line ${line} column ${column}`;
}

/** Parses and validates a config file's text; errors are one line starting with `source`. */
export function parseConfigText(text: string, source: string): ConfigResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `${source}: invalid JSON: ${describeJsonError(message, text)}` };
  }
  const result = parseConfig(json);
  return result.ok ? result : { ok: false, error: `${source}: ${result.error}` };
}
