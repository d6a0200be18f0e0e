import { bandOf, type BandName } from '../src/bands.js';
import { buildKillRecord, type KillRecord } from '../src/kill-record.js';
import type { MemorySample } from '../src/memory-sample.js';
import type { KillDecision } from '../src/policy.js';
import type { EventsWatcher } from '../native/events-watcher.js';
import { nowMs } from '../native/events-protocol.js';
import { killFirstAlive, type Signalled } from './killer.js';
import type { Logger } from './logger.js';
import type { ProcessDetails } from './process-table.js';
import type { ReaperPool } from './reaper-pool.js';
import type { ReapResult } from './reaper-protocol.js';

/** What woke a decision: a PSI trigger (with the events worker's POLLPRI time) or a poll. */
export interface DecisionCause {
  readonly trigger: 'some' | 'full' | 'poll';
  readonly eventAtMs: number | null;
}

/** One decision to kill, with what it was made from. */
export interface Decided {
  readonly decision: KillDecision;
  readonly sample: MemorySample;
  readonly decisionAtMs: number;
  readonly cause: DecisionCause;
}

/** Monotonic times (process.hrtime ms) behind a record: on the log line only, for the benchmark. */
export type KillTiming = DecisionCause & { readonly decisionAtMs: number; readonly signalAtMs: number | null };

export interface KillCounters {
  kills: number;
  byBand: Partial<Record<BandName, number>>;
  reapFailures: number;
  reapersBusy: number;
}

export interface KillPipelineDeps {
  readonly log: Logger;
  readonly procRoot: string;
  readonly counters: KillCounters;
  readonly events: () => EventsWatcher;
  /** The reaper pool, or null where process_mrelease is unavailable. */
  readonly reapers: () => ReaperPool | null;
  readonly killTimeoutMs: () => number;
  readonly emit: (record: KillRecord, timing: KillTiming) => void;
  /** The victim exited or the kill timeout passed: the next decision may run, as the first after a kill. */
  readonly onWaitOver: () => void;
}

/**
 * A victim signalled and not yet recorded. Two things wait on it: the next decision (one victim
 * at a time, until it exits or the kill timeout passes, as in lmkd) and its record (until its
 * reap has settled and it has exited, or a deadline passes).
 */
interface InFlight extends Decided {
  readonly signalled: Signalled<ProcessDetails>;
  readonly watchId: string;
  reap: Omit<ReapResult, 'id'> | null | 'running';
  exitAtMs: number | null;
  waitTimer: NodeJS.Timeout | undefined;
  recordTimer: NodeJS.Timeout | undefined;
  recorded: boolean;
}

/** How long a victim that neither exits nor is reaped may hold its record back. */
const RECORD_DEADLINE_MS = 5_000;

/**
 * Kill → reap → record, one victim at a time: SIGKILL through an identity-checked pidfd on the
 * main thread, the pidfd handed to an idle reaper thread (none idle: killed without reaping,
 * never blocking), its exit watched by the events worker, its record written when all is known.
 */
export class KillPipeline {
  #waitingFor: InFlight | null = null;
  readonly #inFlight = new Map<string, InFlight>();

  constructor(private readonly deps: KillPipelineDeps) {}

  /** A victim is still being waited for: no decision until it exits or times out. */
  get waiting(): boolean {
    return this.#waitingFor !== null;
  }

  /** SIGKILLs the first of `victims` still alive as chosen; false when none was. */
  kill(victims: Iterable<ProcessDetails>, decided: Decided): boolean {
    const { log, counters } = this.deps;
    const attempt = killFirstAlive(victims, this.deps.procRoot, nowMs);
    for (const { victim, why } of attempt.gone) log.info({ event: 'victim-gone', pid: victim.pid, name: victim.name, why }, 'victim vanished before the kill');
    if (!attempt.signalled) return false;
    const signalled = attempt.signalled;
    const watchId = `victim:${signalled.victim.pid}:${signalled.victim.startTime}`;
    const victim: InFlight = { ...decided, signalled, watchId, reap: null, exitAtMs: null, waitTimer: undefined, recordTimer: undefined, recorded: false };
    this.#inFlight.set(watchId, victim);
    this.#waitingFor = victim;
    this.deps.events().watchExit(watchId, signalled.handle.fd);
    const reapers = this.deps.reapers();
    const reaping = reapers?.tryReap(signalled.handle.fd);
    if (reaping) {
      victim.reap = 'running';
      void reaping.then(({ ms, errno, cpu }) => {
        victim.reap = { ms, errno, cpu };
        if (errno !== null && errno !== 'ESRCH') counters.reapFailures++;
        this.#recordIfSettled(victim);
      });
    } else if (reapers) {
      counters.reapersBusy++;
      log.warn({ event: 'reapers-busy', pid: signalled.victim.pid }, 'all reaper threads busy: killed without reaping');
    }
    const timeoutMs = this.deps.killTimeoutMs();
    if (timeoutMs > 0) victim.waitTimer = setTimeout(() => this.#killTimedOut(victim), timeoutMs);
    victim.recordTimer = setTimeout(() => this.#record(victim), RECORD_DEADLINE_MS);
    return true;
  }

  /** The events worker saw a watched victim exit. */
  exited(watchId: string, atMs: number): void {
    const victim = this.#inFlight.get(watchId);
    if (!victim) return;
    victim.exitAtMs = atMs;
    this.#endWait(victim);
    this.#recordIfSettled(victim);
  }

  /** Records every victim still in flight (the agent is stopping). */
  flush(): void {
    for (const victim of this.#inFlight.values()) {
      clearTimeout(victim.waitTimer);
      this.#record(victim);
    }
    this.#waitingFor = null;
  }

  #killTimedOut(victim: InFlight): void {
    if (this.#waitingFor !== victim) return;
    this.deps.log.info({ event: 'kill-timeout', pid: victim.signalled.victim.pid, ms: this.deps.killTimeoutMs() }, 'stopped waiting for the victim to exit');
    this.#endWait(victim);
  }

  #endWait(victim: InFlight): void {
    clearTimeout(victim.waitTimer);
    if (this.#waitingFor !== victim) return;
    this.#waitingFor = null;
    this.deps.onWaitOver();
  }

  #recordIfSettled(victim: InFlight): void {
    if (victim.reap !== 'running' && victim.exitAtMs !== null) this.#record(victim);
  }

  /** Writes the victim's record once, then releases its pidfd when nothing can still use it. */
  #record(victim: InFlight): void {
    if (victim.recorded) return;
    victim.recorded = true;
    clearTimeout(victim.recordTimer);
    const { counters } = this.deps;
    const { victim: process, handle, signalAtMs } = victim.signalled;
    const reap = victim.reap === 'running' ? null : victim.reap;
    // Private memory is gone once the victim exited or was reaped (ESRCH: it reaped itself).
    const freed = victim.exitAtMs !== null || reap?.errno === null || reap?.errno === 'ESRCH';
    counters.kills++;
    const band = bandOf(process.adj);
    counters.byBand[band] = (counters.byBand[band] ?? 0) + 1;
    const record = buildKillRecord(new Date().toISOString(), process, victim.decision, victim.sample.psi, {
      killMs: signalAtMs - victim.decisionAtMs,
      reap,
      freedKb: freed ? process.rssAnonKb + process.swapKb : null,
      exitMs: victim.exitAtMs === null ? null : victim.exitAtMs - signalAtMs,
      dryRun: false,
    });
    this.deps.emit(record, { ...victim.cause, decisionAtMs: victim.decisionAtMs, signalAtMs });
    const release = async (): Promise<void> => {
      if (victim.exitAtMs === null) await this.deps.events().unwatch(victim.watchId);
      while (victim.reap === 'running') await new Promise((resolve) => setTimeout(resolve, 20));
      this.#inFlight.delete(victim.watchId);
      handle.close();
    };
    void release();
  }
}
