import { z } from 'zod';
import { LmkConfigSchema, parseConfig } from './config.js';

/**
 * An experiment spec (`lmk experiment run SPEC.json`): the apps to cycle, how many rounds, the
 * pause between launches, optional background load, and the arms. Each arm is an agent config
 * (as `lmk start --config` takes it) or null for "no lmk" (stock behaviour alone). Arms run
 * interleaved round by round (round 1: A, B; round 2: A, B; …) so drift touches all alike.
 * A bad spec is refused with the path of its first bad field, e.g. `arms.little.reaper.cpus`.
 */

/** A Java package name, as Android requires it: at least two dot-separated identifiers. */
const PACKAGE = /^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)+$/;
/** A launcher activity: relative (".Main") or a full class name ("com.x.ui.Main", "com.x.Outer$Inner"). */
const ACTIVITY = /^\.?[A-Za-z_][A-Za-z0-9_$]*(?:\.[A-Za-z_][A-Za-z0-9_$]*)*$/;
/** Arm names become CSV cells, chart labels and file-safe text: no integer-like keys (JSON would reorder them). */
const ARM_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,39}$/;

export const AppRefSchema = z.strictObject({
  package: z.string().regex(PACKAGE, { message: 'expected a package name like com.example.mail' }),
  activity: z.string().regex(ACTIVITY, { message: 'expected an activity like .Main or com.example.mail.Main' }),
});
export type AppRef = z.output<typeof AppRefSchema>;

/** `am start -n` takes PKG/ACTIVITY. */
export function componentOf(app: AppRef): string {
  return `${app.package}/${app.activity}`;
}

/**
 * An arm's agent config: checked with the agent's own schema, its issues re-reported under this
 * field so the path reads `arms.NAME.reaper.cpus`. The config is kept as written (defaults are
 * the agent's to fill in, as with `lmk start --config`).
 */
const ArmConfigSchema = z
  .record(z.string(), z.unknown(), { error: 'expected an agent config (a JSON object) or null' })
  .superRefine((config, ctx) => {
    const checked = parseConfig(config);
    if (checked.ok) return;
    // parseConfig names the deepest bad field ("reaper.cpus.0: …"), as `lmk config check` does.
    const match = /^(.*?): (.*)$/.exec(checked.error);
    const path = match?.[1] === undefined || match[1] === '(root)' ? [] : match[1].split('.');
    ctx.addIssue({ code: 'custom', path, message: match?.[2] ?? checked.error });
  })
  .nullable();

const BackgroundSchema = z.strictObject({
  /** Opened (am start -W) before each arm's measured launches, every round: memory the measured apps compete with. */
  apps: z.array(AppRefSchema).min(1).max(50),
  /** Pause after each background launch, ms. */
  pauseMs: z.int().min(0).max(600_000).default(500),
});

const PsiSamplingSchema = z.strictObject({
  /**
   * The pressure file to sample on the device. Default: the cgroup2 memory.pressure of the
   * first arm whose config has a cgroup scope, else /proc/pressure/memory.
   */
  path: z
    .string()
    .refine((path) => path.startsWith('/') && !/[\0\n\r]/.test(path), { message: 'must be an absolute path' })
    .optional(),
  intervalMs: z.int().min(100).max(60_000).default(500),
});

export const ExperimentSpecSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, { message: 'letters, digits, _ . - (at most 64)' })
      .default('experiment'),
    apps: z.array(AppRefSchema).min(1).max(100),
    rounds: z.int().min(1).max(1000),
    /** Pause after each measured launch, ms. */
    pauseMs: z.int().min(0).max(600_000).default(1000),
    /** Wait after an arm's agent starts (or stops, for a null arm) before its first launch, ms. */
    settleMs: z.int().min(0).max(600_000).default(1000),
    background: BackgroundSchema.optional(),
    psi: PsiSamplingSchema.prefault({}),
    arms: z
      .record(z.string().regex(ARM_NAME, { message: 'an arm name starts with a letter: letters, digits, _ . - (at most 40)' }), ArmConfigSchema)
      .refine((arms) => Object.keys(arms).length >= 1, { message: 'needs at least one arm' })
      .refine((arms) => Object.keys(arms).length <= 16, { message: 'at most 16 arms' }),
  })
  .superRefine((spec, ctx) => {
    const seen = new Set<string>();
    spec.apps.forEach((app, index) => {
      const key = componentOf(app);
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['apps', index], message: `${key} is listed twice` });
      seen.add(key);
    });
  });

export type ExperimentSpecInput = z.input<typeof ExperimentSpecSchema>;
export type ExperimentSpecParsed = z.output<typeof ExperimentSpecSchema>;

export interface Arm {
  readonly name: string;
  /** The agent config as written, or null: no lmk in this arm. */
  readonly config: Record<string, unknown> | null;
}

export interface ExperimentSpec extends Omit<ExperimentSpecParsed, 'arms'> {
  /** In the spec's order. */
  readonly arms: readonly Arm[];
}

export type SpecResult = { ok: true; spec: ExperimentSpec } | { ok: false; error: string };

function formatPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

/** The first issue as "path: message"; an unknown key is named in the path. */
function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `${formatPath([...issue.path, issue.keys[0] ?? '?'])}: Unrecognized key`;
  if (issue.code === 'invalid_key') {
    const inner = issue.issues[0];
    return `${formatPath(issue.path)}: ${inner ? inner.message : issue.message}`;
  }
  return `${formatPath(issue.path)}: ${issue.message}`;
}

/** Validates a parsed JSON value as a spec. */
export function parseExperimentSpec(json: unknown): SpecResult {
  const result = ExperimentSpecSchema.safeParse(json);
  if (!result.success) {
    const first = result.error.issues[0];
    return { ok: false, error: first ? describe(first) : 'invalid spec' };
  }
  const { arms, ...rest } = result.data;
  return { ok: true, spec: { ...rest, arms: Object.entries(arms).map(([name, config]) => ({ name, config })) } };
}

/** Parses a spec file's text; errors are one line starting with `source`. */
export function parseExperimentSpecText(text: string, source: string): SpecResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `${source}: invalid JSON: ${error instanceof Error ? error.message.replace(/\s+/g, ' ') : String(error)}` };
  }
  const result = parseExperimentSpec(json);
  return result.ok ? result : { ok: false, error: `${source}: ${result.error}` };
}

/** What an arm's reaper CPU selection reads as in reports: "little", "0,1", or "-" without lmk. */
export function reaperCpusOf(config: Record<string, unknown> | null): string {
  if (config === null) return '-';
  const parsed = LmkConfigSchema.safeParse(config);
  if (!parsed.success) return '?';
  const cpus = parsed.data.reaper.cpus;
  return typeof cpus === 'string' ? cpus : cpus.join(',');
}

/** The memory.pressure file the spec's first cgroup-scoped arm watches, if any. */
export function cgroupPressureOf(arms: readonly Arm[]): string | undefined {
  for (const arm of arms) {
    if (arm.config === null) continue;
    const parsed = LmkConfigSchema.safeParse(arm.config);
    if (parsed.success && parsed.data.scope.kind === 'cgroup') return `${parsed.data.scope.cgroup2.replace(/\/+$/, '')}/memory.pressure`;
  }
  return undefined;
}
