import type { BandName } from '../src/bands.js';
import { parseConfig, type LmkConfig } from '../src/config.js';
import { resolveCpuSelection } from '../src/cpu-topology.js';
import { buildKillRecord, type KillRecord, type PressureEvent } from '../src/kill-record.js';
import type { MemorySample } from '../src/memory-sample.js';
import { decide, initialPolicyState, type KillDecision, type PolicyState } from '../src/policy.js';
import { chooseVictim, compileRules, type ProcessInfo, type VictimRules } from '../src/victims.js';
import { EventsWatcher, type WatcherEvent } from '../native/events-watcher.js';
import { nowMs } from '../native/events-protocol.js';
import { probeProcessMrelease } from '../native/probe.js';
import { closePsiTrigger, openPsiTrigger, type PsiTrigger } from '../native/psi-trigger.js';
import { protectSelf } from '../native/self-protect.js';
import { readCpuTopology } from '../native/topology.js';
import { KillPipeline, type DecisionCause, type KillTiming } from './kill-pipeline.js';
import { KillLog } from './kill-log.js';
import type { Logger } from './logger.js';
import { allPids, cgroupPids, ProcessTable, type ProcessDetails } from './process-table.js';
import { ReaperPool } from './reaper-pool.js';
import type { SystemRoots } from './roots.js';
import { createSampler, type Sampler } from './sampler.js';
import { stallSinceIsReal, stallTotalUs } from '../src/psi-event-check.js';
import type { Psi } from '../src/psi.js';
import { onAndroid } from './platform.js';

export interface AgentOptions {
  readonly config: LmkConfig;
  readonly roots: SystemRoots;
  readonly logger: Logger;
  readonly version: string;
}

type Subscriber = (message: object) => void;

export class Agent {
  #config: LmkConfig;
  #rules: VictimRules;
  readonly #log: Logger;
  readonly #roots: SystemRoots;
  readonly #table: ProcessTable;
  readonly #killLog: KillLog;
  readonly #subscribers = new Set<Subscriber>();
  readonly #startedAtMs = nowMs();
  readonly #version: string;
  #sampler: Sampler;
  #watcher: EventsWatcher | undefined;
  #triggers: PsiTrigger[] = [];
  /** Stall total per trigger kind when it was opened or last fired genuinely. */
  readonly #stallSinceUs = new Map<'some' | 'full', number>();
  #reapers: ReaperPool | null = null;
  #reapSupported = false;
  #policy: PolicyState = initialPolicyState();
  #pollTimer: NodeJS.Timeout | undefined;
  /** Inside a pressure episode (polling); its end is logged as a level change. */
  #polling = false;
  readonly #kills: KillPipeline;
  #afterKill = false;
  /** Victims a dry run has "killed" in this pressure episode: not chosen again until it ends. */
  readonly #dryRunChosen = new Set<string>();
  #stopping = false;
  #resolveStopped!: () => void;
  readonly stopped = new Promise<void>((resolve) => (this.#resolveStopped = resolve));
  readonly counters = { kills: 0, byBand: {} as Partial<Record<BandName, number>>, dryRunDecisions: 0, reapFailures: 0, reapersBusy: 0, skippedWakeups: 0, noVictim: 0 };

  private constructor(options: AgentOptions) {
    this.#config = options.config;
    this.#rules = this.#compileRules(options.config);
    this.#log = options.logger;
    this.#roots = options.roots;
    this.#version = options.version;
    this.#table = new ProcessTable(options.roots.procRoot, () => this.#scopePids());
    this.#killLog = new KillLog(options.config.stateDir, options.config.killLog);
    this.#sampler = createSampler(options.config.scope, options.roots);
    this.#kills = new KillPipeline({
      log: this.#log,
      procRoot: options.roots.procRoot,
      counters: this.counters,
      events: () => this.#events,
      reapers: () => (this.#reapSupported ? this.#reapers : null),
      killTimeoutMs: () => this.#config.killTimeoutMs,
      emit: (record, timing) => this.#emit(record, timing),
      onWaitOver: () => {
        this.#afterKill = true; // lmkd: a kill timeout counts like a death
        setImmediate(() => this.#evaluate('poll')); // lmkd's POLLING_RESUME
      },
    });
  }

  static async start(options: AgentOptions): Promise<Agent> {
    const agent = new Agent(options);
    try {
      await agent.#start();
    } catch (error) {
      // Threads already started would keep the process alive with nothing to do.
      await agent.stop().catch(() => undefined);
      throw error;
    }
    return agent;
  }

  /** The agent itself is never a candidate; on Android only apps are (unless configured). */
  #compileRules(config: LmkConfig): VictimRules {
    return compileRules(config, [process.pid, process.ppid], onAndroid());
  }

  /** The events worker; started before anything that uses it. */
  get #events(): EventsWatcher {
    if (!this.#watcher) throw new Error('events worker not started');
    return this.#watcher;
  }

  #scopePids(): number[] {
    const scope = this.#config.scope;
    return scope.kind === 'system' ? allPids(this.#roots.procRoot) : cgroupPids(scope.memcg ?? scope.cgroup2);
  }

  get config(): LmkConfig {
    return this.#config;
  }

  get stateDir(): string {
    return this.#config.stateDir;
  }

  get killLog(): KillLog {
    return this.#killLog;
  }

  async #start(): Promise<void> {
    const protection = protectSelf(this.#roots.procRoot);
    this.#log.info({ event: 'start', version: this.#version, oomScoreAdj: protection.oomScoreAdj, lockedCodeKb: protection.lockedCodeKb, notes: protection.notes }, 'lmk agent starting');
    const probe = probeProcessMrelease();
    this.#reapSupported = probe.ok === true;
    if (!this.#reapSupported) this.#log.warn({ event: 'no-reaping', why: probe.note }, 'process_mrelease unavailable: victims are killed without reaping');
    const watcher = await EventsWatcher.start();
    this.#watcher = watcher;
    watcher.on('event', (event) => this.#onWatcherEvent(event));
    watcher.on('error', (error) => this.#log.error({ event: 'events-worker-error', err: error.message }, 'events worker failed'));
    await this.#applyReaper(this.#config);
    this.#openTriggers();
    this.#log.info({ event: 'ready', scope: this.#sampler.describe, dryRun: this.#config.dryRun, stateDir: this.#config.stateDir }, 'lmk agent ready');
  }

  // ---- set-up that reload may redo ----

  async #applyReaper(config: LmkConfig): Promise<void> {
    const old = this.#reapers;
    this.#reapers = null;
    if (this.#reapSupported) {
      const cpus = resolveCpuSelection(config.reaper.cpus, readCpuTopology(this.#roots.sysfsRoot));
      this.#reapers = await ReaperPool.start({ cpus, threads: config.reaper.threads, nice: config.reaper.nice });
      this.#log.info({ event: 'reapers', cpus, threads: this.#reapers.info.threads, nice: config.reaper.nice, notes: this.#reapers.info.notes }, 'reaper threads pinned');
    }
    // A reap still running on the old pool keeps its worker until it reports back.
    if (old) void this.#whenIdle(old).then(() => old.stop());
  }

  async #whenIdle(pool: ReaperPool): Promise<void> {
    while (!pool.idle) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  #openTriggers(): void {
    const path = this.#sampler.pressurePath;
    const windowUs = this.#config.psi.windowMs * 1000;
    const specs = [
      { id: 'some', spec: { kind: 'some', stallUs: this.#config.psi.partialStallMs * 1000, windowUs } },
      { id: 'full', spec: { kind: 'full', stallUs: this.#config.psi.completeStallMs * 1000, windowUs } },
    ] as const;
    const now = this.#sampler.psi();
    for (const { id, spec } of specs) {
      if (spec.stallUs === 0) continue; // a threshold of 0 means: not this trigger
      this.#stallSinceUs.set(id, stallTotalUs(now, id));
      const trigger = openPsiTrigger(path, spec);
      if (trigger.scaledBecause) this.#log.warn({ event: 'psi-window', path, why: trigger.scaledBecause }, 'PSI trigger window scaled');
      this.#triggers.push(trigger);
      this.#events.watchPressure(id, trigger.fd);
    }
    this.#log.info({ event: 'triggers', path, triggers: this.#triggers.map((t) => `${t.actual.kind} ${t.actual.stallUs} ${t.actual.windowUs}`) }, 'PSI triggers registered');
  }

  /**
   * Ignores an event for stall that predates the trigger (see stallSinceIsReal). Returns the
   * PSI it read (null if unreadable: then the kernel's word stands), or false to ignore.
   */
  #genuine(kind: 'some' | 'full'): Psi | null | false {
    let now: Psi;
    try {
      now = this.#sampler.psi();
    } catch (error) {
      this.#log.warn({ event: 'bad-input', what: 'psi', err: (error as Error).message }, 'PSI unreadable');
      return null;
    }
    const total = stallTotalUs(now, kind);
    const trigger = this.#triggers.find((t) => t.actual.kind === kind);
    const since = this.#stallSinceUs.get(kind) ?? 0;
    if (trigger && !stallSinceIsReal(since, total, trigger.actual.stallUs)) {
      this.#log.info({ event: 'psi-stale', trigger: kind, stallSinceUs: total - since, thresholdUs: trigger.actual.stallUs }, 'PSI event for stall from before the trigger: ignored');
      return false;
    }
    this.#stallSinceUs.set(kind, total);
    return now;
  }

  async #closeTriggers(): Promise<void> {
    if (this.#watcher) for (const id of ['some', 'full']) await this.#watcher.unwatch(id);
    for (const trigger of this.#triggers) closePsiTrigger(trigger);
    this.#triggers = [];
  }

  // ---- events ----

  #onWatcherEvent(event: WatcherEvent): void {
    if (this.#stopping) return;
    if (event.type === 'pressure') {
      const trigger = event.id === 'full' ? 'full' : 'some';
      const psi = this.#genuine(trigger);
      if (psi === false) return;
      if (psi) this.#broadcastPressure(trigger, event.atMs, psi);
      this.#evaluate(trigger, event.atMs);
    } else if (event.type === 'exited') {
      this.#kills.exited(event.id, event.atMs);
    } else if (event.type === 'fd-error') {
      this.#log.error({ event: 'fd-error', id: event.id, revents: event.revents }, 'a watched fd failed');
    }
  }

  #broadcastPressure(trigger: 'some' | 'full', atMs: number, now: Psi): void {
    const message: PressureEvent = { event: 'pressure', time: new Date().toISOString(), trigger, psi: { someAvg10: now.some.avg10, fullAvg10: now.full?.avg10 ?? 0 } };
    // atMs (log line only): when the events worker saw POLLPRI, monotonic ms (process.hrtime).
    this.#log.info({ ...message, atMs }, `memory pressure (${trigger})`);
    this.#publish(message);
  }

  // ---- deciding ----

  #schedulePoll(intervalMs: number | null): void {
    clearTimeout(this.#pollTimer);
    this.#pollTimer = undefined;
    if (intervalMs === null) {
      if (this.#polling) this.#log.info({ event: 'calm' }, 'pressure episode over: polling stopped');
      this.#polling = false;
      if (this.#dryRunChosen.size > 0) this.#dryRunChosen.clear();
      return;
    }
    this.#polling = true;
    this.#pollTimer = setTimeout(() => this.#evaluate('poll'), intervalMs);
  }

  #evaluate(trigger: 'some' | 'full' | 'poll', eventAtMs: number | null = null): void {
    if (this.#stopping) return;
    if (this.#kills.waiting) {
      // One victim at a time: wait for it to exit or for the kill timeout.
      this.counters.skippedWakeups++;
      return;
    }
    const atMs = nowMs();
    let sample: MemorySample;
    try {
      sample = this.#sampler.sample(atMs);
    } catch (error) {
      // Unreadable or malformed input: never act on it; try again at the next wakeup.
      this.#log.warn({ event: 'bad-input', what: 'sample', err: (error as Error).message }, 'could not sample memory');
      this.#schedulePoll(trigger === 'poll' ? null : this.#config.polling.slowIntervalMs);
      return;
    }
    const result = decide({ sample, trigger, afterKill: this.#afterKill }, this.#policy, this.#decisionConfig());
    this.#log.debug({ event: 'decision', trigger, afterKill: this.#afterKill, decision: result.decision, pollIntervalMs: result.pollIntervalMs, sample }, 'decided');
    this.#afterKill = false;
    this.#policy = result.state;
    this.#schedulePoll(result.pollIntervalMs);
    if (result.decision && !this.#act(result.decision, sample, atMs, { trigger, eventAtMs })) {
      this.#policy = result.ifNoVictim.state;
      this.#schedulePoll(result.ifNoVictim.pollIntervalMs);
    }
  }

  /**
   * PSI reports at most once per window, so polling must last at least one trigger window, or
   * under sustained pressure the agent is blind between events (a 2 s window where the kernel
   * refused 1 s).
   */
  #decisionConfig(): LmkConfig {
    const windowMs = Math.max(0, ...this.#triggers.map((t) => t.actual.windowUs / 1000));
    if (windowMs <= this.#config.polling.windowMs) return this.#config;
    return { ...this.#config, polling: { ...this.#config.polling, windowMs } };
  }

  *#victims(processes: readonly ProcessDetails[], minAdj: number): Generator<ProcessDetails> {
    const byPid = new Map(processes.map((p) => [p.pid, p]));
    let remaining: readonly ProcessInfo[] = processes;
    for (;;) {
      const victim = chooseVictim(remaining, minAdj, this.#rules);
      if (!victim) return;
      yield byPid.get(victim.pid)!;
      remaining = remaining.filter((p) => p.pid !== victim.pid);
    }
  }

  /** Kills (or, in a dry run, names) one victim; false when no process was eligible. */
  #act(decision: KillDecision, sample: MemorySample, decisionAtMs: number, cause: DecisionCause): boolean {
    let processes: ProcessDetails[];
    try {
      processes = this.#table.scan(decision.minAdj, decisionAtMs);
    } catch (error) {
      this.#log.warn({ event: 'bad-input', what: 'process table', err: (error as Error).message }, 'could not scan processes');
      return false;
    }
    if (this.#config.dryRun) {
      processes = processes.filter((p) => !this.#dryRunChosen.has(`${p.pid}:${p.startTime}`));
      const victim = this.#victims(processes, decision.minAdj).next().value;
      if (!victim) return this.#noVictim(decision);
      this.#dryRunChosen.add(`${victim.pid}:${victim.startTime}`);
      this.counters.dryRunDecisions++;
      const record = buildKillRecord(new Date().toISOString(), victim, decision, sample.psi, { killMs: nowMs() - decisionAtMs, reap: null, freedKb: null, exitMs: null, dryRun: true });
      this.#emit(record, { ...cause, decisionAtMs, signalAtMs: null });
      this.#waitAsIfKilled();
      return true;
    }
    return this.#kills.kill(this.#victims(processes, decision.minAdj), { decision, sample, decisionAtMs, cause }) || this.#noVictim(decision);
  }

  #noVictim(decision: KillDecision): false {
    this.counters.noVictim++;
    this.#log.debug({ event: 'no-victim', reason: decision.reason, minAdj: decision.minAdj }, 'no process to kill at or above the floor');
    return false;
  }

  /** Dry run: pace decisions as if a victim were dying, so records show one choice per wait. */
  #waitAsIfKilled(): void {
    const wait = this.#config.killTimeoutMs > 0 ? this.#config.killTimeoutMs : 100;
    const timer = setTimeout(() => {
      this.#afterKill = true;
      this.#evaluate('poll');
    }, wait);
    timer.unref();
  }

  /** `timing` (monotonic ms, process.hrtime) goes on the log line only, for the benchmark. */
  #emit(record: KillRecord, timing: KillTiming): void {
    this.#log.info({ ...record, timing }, record.dryRun ? `would kill ${record.name} (${record.pid})` : `killed ${record.name} (${record.pid})`);
    try {
      this.#killLog.append(record);
    } catch (error) {
      this.#log.error({ event: 'kill-log-error', err: (error as Error).message }, 'could not append to the kill log');
    }
    this.#publish({ event: 'kill', record });
  }

  #publish(message: object): void {
    for (const subscriber of this.#subscribers) subscriber(message);
  }

  // ---- control ----

  subscribe(listener: Subscriber): () => void {
    this.#subscribers.add(listener);
    return () => this.#subscribers.delete(listener);
  }

  status(): object {
    let psi: { someAvg10: number; fullAvg10: number } | null = null;
    try {
      const now = this.#sampler.psi();
      psi = { someAvg10: now.some.avg10, fullAvg10: now.full?.avg10 ?? 0 };
    } catch {
      psi = null;
    }
    return {
      version: this.#version,
      uptimeMs: Math.round(nowMs() - this.#startedAtMs),
      pid: process.pid,
      config: this.#config,
      counters: { ...this.counters, byBand: { ...this.counters.byBand }, parseFailures: this.#table.parseFailures },
      bands: this.#table.bandCounts(nowMs()),
      recentKills: this.#killLog.recent(20),
      psi,
      reaperCpus: this.#reapers?.info.cpus ?? [],
      reaping: this.#reapSupported,
      scope: this.#sampler.describe,
      triggers: this.#triggers.map((t) => `${t.actual.kind} ${t.actual.stallUs} ${t.actual.windowUs}`),
    };
  }

  /** Applies a new config; an invalid one is refused and the running one kept. */
  async reload(json: unknown): Promise<{ ok: true } | { ok: false; error: string }> {
    const parsed = parseConfig(json);
    if (!parsed.ok) return parsed;
    const next = parsed.config;
    if (next.stateDir !== this.#config.stateDir) return { ok: false, error: 'stateDir: cannot change while the agent runs; restart it' };
    let rules: VictimRules;
    let sampler: Sampler;
    try {
      rules = this.#compileRules(next);
      sampler = JSON.stringify(next.scope) === JSON.stringify(this.#config.scope) ? this.#sampler : createSampler(next.scope, this.#roots);
      if (JSON.stringify(next.reaper) !== JSON.stringify(this.#config.reaper)) {
        resolveCpuSelection(next.reaper.cpus, readCpuTopology(this.#roots.sysfsRoot)); // refuse before changing anything
      }
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
    const previous = this.#config;
    this.#config = next;
    this.#rules = rules;
    this.#killLog.setLimits(next.killLog);
    if (sampler !== this.#sampler || JSON.stringify(next.psi) !== JSON.stringify(previous.psi)) {
      await this.#closeTriggers();
      this.#sampler = sampler;
      this.#openTriggers();
    }
    if (JSON.stringify(next.reaper) !== JSON.stringify(previous.reaper)) await this.#applyReaper(next);
    this.#log.info({ event: 'reload', config: next }, 'config reloaded');
    return { ok: true };
  }

  async stop(): Promise<void> {
    if (this.#stopping) return this.stopped;
    this.#stopping = true;
    clearTimeout(this.#pollTimer);
    this.#kills.flush();
    await this.#closeTriggers().catch(() => undefined);
    await this.#watcher?.stop();
    if (this.#reapers) {
      await this.#whenIdle(this.#reapers);
      await this.#reapers.stop();
    }
    this.#log.info({ event: 'stop' }, 'lmk agent stopped');
    this.#resolveStopped();
    return this.stopped;
  }
}
