import { compileNamePattern, type LmkConfig } from './config.js';

/**
 * Victim choice: lmkd's find_and_kill_process over a process table we build ourselves (lmkd only
 * knows processes ActivityManager registered; we scan /proc), plus name rules.
 */

export interface ProcessInfo {
  readonly pid: number;
  /** /proc/<pid>/stat starttime (clock ticks since boot): with pid, identifies the process. */
  readonly startTime: number;
  readonly adj: number;
  readonly uid: number;
  /** The package or process name (cmdline, else comm). */
  readonly name: string;
  readonly rssKb: number;
  readonly swapKb: number;
  readonly isKernelThread: boolean;
  /** Already killed (by us or anyone) or a zombie: killing it again frees nothing. */
  readonly dying: boolean;
  /** When we first saw it at its current adj (monotonic ms): lmkd's position in the adj list. */
  readonly adjSinceMs: number;
}

export interface VictimRules {
  /** The agent's own processes. */
  readonly selfPids: readonly number[];
  readonly protectedPackages: readonly RegExp[];
  readonly prefer: readonly RegExp[];
  readonly avoid: readonly RegExp[];
  readonly killHeaviest: boolean;
  /** Only Android app uids are candidates (see config `candidates`). */
  readonly appsOnly: boolean;
}

/** Android's per-user uid range and the app ids within it (android.os.Process). */
const PER_USER_RANGE = 100_000;

/** True for an app's uid: a regular app (10000–19999) or an isolated/app-zygote process (90000–99999). */
export function isAppUid(uid: number): boolean {
  const appId = uid % PER_USER_RANGE;
  return (appId >= 10_000 && appId < 20_000) || (appId >= 90_000 && appId < PER_USER_RANGE);
}

/** lmkd's PERCEPTIBLE_APP_ADJ: at or below it the heaviest goes first, as killing hurts anyway. */
const PERCEPTIBLE_APP_ADJ = 200;

/** Compiles the config's name patterns once (the config has already checked that they compile). */
export function compileRules(
  config: Pick<LmkConfig, 'protectedPackages' | 'prefer' | 'avoid' | 'killHeaviest'> & Partial<Pick<LmkConfig, 'candidates'>>,
  selfPids: readonly number[] = [],
  onAndroid = false,
): VictimRules {
  const candidates = config.candidates ?? 'auto';
  return {
    selfPids,
    appsOnly: candidates === 'apps' || (candidates === 'auto' && onAndroid),
    protectedPackages: config.protectedPackages.map(compileNamePattern),
    prefer: config.prefer.map(compileNamePattern),
    avoid: config.avoid.map(compileNamePattern),
    killHeaviest: config.killHeaviest,
  };
}

export type NotCandidateReason =
  | 'init'
  | 'self'
  | 'kernel-thread'
  | 'dying'
  | 'negative-adj'
  | 'below-min-adj'
  | 'protected'
  | 'not-an-app';

export type CandidateCheck = { readonly candidate: true } | { readonly candidate: false; readonly reason: NotCandidateReason };

const CANDIDATE: CandidateCheck = { candidate: true };

function matchesAny(patterns: readonly RegExp[], name: string): boolean {
  for (const pattern of patterns) if (pattern.test(name)) return true;
  return false;
}

/** Whether `process` may be killed at `minAdj`, and if not, why. Cheap checks first. */
export function isCandidate(process: ProcessInfo, minAdj: number, rules: VictimRules): CandidateCheck {
  if (process.pid === 1) return { candidate: false, reason: 'init' };
  if (rules.selfPids.includes(process.pid)) return { candidate: false, reason: 'self' };
  if (process.isKernelThread) return { candidate: false, reason: 'kernel-thread' };
  if (process.dying) return { candidate: false, reason: 'dying' };
  // Native, system and persistent processes are never ours to kill, whatever minAdj says.
  if (process.adj < 0) return { candidate: false, reason: 'negative-adj' };
  if (process.adj < minAdj) return { candidate: false, reason: 'below-min-adj' };
  if (rules.appsOnly && !isAppUid(process.uid)) return { candidate: false, reason: 'not-an-app' };
  if (matchesAny(rules.protectedPackages, process.name)) return { candidate: false, reason: 'protected' };
  return CANDIDATE;
}

/** 0 = preferred, 1 = ordinary, 2 = avoided (a name matching both is preferred). */
function rank(process: ProcessInfo, rules: VictimRules): number {
  if (matchesAny(rules.prefer, process.name)) return 0;
  if (matchesAny(rules.avoid, process.name)) return 2;
  return 1;
}

/**
 * Whether a should die before b, both at the same rank and adj. Above adj 200: the one at that
 * adj longest (lmkd's list tail), unless killHeaviest. At or below 200, or with killHeaviest:
 * the one holding most memory, RSS + swap (both are freed by a kill). Remaining ties: the
 * other criterion, then the lower pid, so the choice never depends on table order.
 */
function before(a: ProcessInfo, b: ProcessInfo, heaviestFirst: boolean): boolean {
  const weightA = a.rssKb + a.swapKb;
  const weightB = b.rssKb + b.swapKb;
  if (heaviestFirst) {
    if (weightA !== weightB) return weightA > weightB;
    if (a.adjSinceMs !== b.adjSinceMs) return a.adjSinceMs < b.adjSinceMs;
  } else {
    if (a.adjSinceMs !== b.adjSinceMs) return a.adjSinceMs < b.adjSinceMs;
    if (weightA !== weightB) return weightA > weightB;
  }
  return a.pid < b.pid;
}

/**
 * The process to kill at `minAdj`, or null if none is eligible. Order: preferred names first,
 * avoided names last; then highest adj; then the tie rule of `before`. One pass, no sort.
 */
export function chooseVictim(processes: readonly ProcessInfo[], minAdj: number, rules: VictimRules): ProcessInfo | null {
  let best: ProcessInfo | null = null;
  let bestRank = 3;
  for (const process of processes) {
    if (!isCandidate(process, minAdj, rules).candidate) continue;
    const processRank = rank(process, rules);
    if (best !== null) {
      if (processRank !== bestRank) {
        if (processRank > bestRank) continue;
      } else if (process.adj !== best.adj) {
        if (process.adj < best.adj) continue;
      } else if (!before(process, best, rules.killHeaviest || process.adj <= PERCEPTIBLE_APP_ADJ)) {
        continue;
      }
    }
    best = process;
    bestRank = processRank;
  }
  return best;
}
