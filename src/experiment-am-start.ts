/**
 * What `am start -W -n PKG/ACTIVITY` prints, parsed. Android 10 and later print
 *
 *   Starting: Intent { cmp=com.example.mail/.Main }
 *   Status: ok
 *   LaunchState: COLD
 *   Activity: com.example.mail/.Main
 *   TotalTime: 812
 *   WaitTime: 815
 *   Complete
 *
 * (older releases print ThisTime and no LaunchState). TotalTime is ActivityManager's own measure
 * from the intent to the first frame; WaitTime adds the time am waited on the system. An
 * activity already in front prints "Warning: Activity not started, …" and LaunchState UNKNOWN
 * (0) without TotalTime; a missing activity prints "Error: …" lines and exits non-zero.
 */

export const LAUNCH_STATES = ['COLD', 'WARM', 'HOT', 'RELAUNCH', 'UNKNOWN'] as const;
export type LaunchState = (typeof LAUNCH_STATES)[number];

export interface AmStartResult {
  /** Launched and measured: Status ok (or absent on old releases), no Error line, a TotalTime or WaitTime. */
  readonly ok: boolean;
  /** "ok", "timeout", …; null when not printed. */
  readonly status: string | null;
  readonly launchState: LaunchState | null;
  readonly totalTimeMs: number | null;
  readonly waitTimeMs: number | null;
  /** Android 9 and older. */
  readonly thisTimeMs: number | null;
  /** The activity that came to the front, as am printed it. */
  readonly activity: string | null;
  /** "Warning: …" lines, without the prefix. */
  readonly warnings: readonly string[];
  /** Why it failed, one line: the Error lines, or what was missing. Null when ok. */
  readonly error: string | null;
}

function field(lines: readonly string[], name: string): string | undefined {
  const prefix = `${name}:`;
  const line = lines.find((text) => text.startsWith(prefix));
  return line?.slice(prefix.length).trim();
}

function millis(text: string | undefined): number | null {
  if (text === undefined || !/^\d+$/.test(text)) return null;
  return Number(text);
}

function launchStateOf(text: string | undefined): LaunchState | null {
  if (text === undefined) return null;
  // "UNKNOWN (0)" on Android 10+.
  const word = text.split(/\s+/)[0] ?? '';
  return (LAUNCH_STATES as readonly string[]).includes(word) ? (word as LaunchState) : null;
}

/** Parses `am start -W` output (stdout and stderr merged, as adb shell gives them) and its exit code. */
export function parseAmStart(output: string, exitCode: number): AmStartResult {
  const lines = output
    .split('\n')
    .map((line) => line.replace(/\r$/, '').trim())
    .filter((line) => line !== '');
  const errors = lines.filter((line) => /^Error( type \d+)?:/.test(line) || line.startsWith('Exception') || line.startsWith('java.lang.'));
  const warnings = lines.filter((line) => line.startsWith('Warning:')).map((line) => line.slice('Warning:'.length).trim());
  const status = field(lines, 'Status') ?? null;
  const totalTimeMs = millis(field(lines, 'TotalTime'));
  const waitTimeMs = millis(field(lines, 'WaitTime'));
  const base = {
    status,
    launchState: launchStateOf(field(lines, 'LaunchState')),
    totalTimeMs,
    waitTimeMs,
    thisTimeMs: millis(field(lines, 'ThisTime')),
    activity: field(lines, 'Activity') ?? null,
    warnings,
  };
  let error: string | null = null;
  if (errors.length > 0) error = errors.map((line) => line.replace(/^Error( type \d+)?:\s*/, '')).filter((line) => line !== '').join('; ') || 'error';
  else if (exitCode !== 0) error = `am exited with code ${exitCode}${lines.length > 0 ? `: ${lines.at(-1)}` : ''}`;
  else if (status !== null && status !== 'ok') error = `status ${status}`;
  else if (totalTimeMs === null && waitTimeMs === null) error = warnings[0] ?? 'am printed no launch time';
  return { ...base, ok: error === null, error };
}
