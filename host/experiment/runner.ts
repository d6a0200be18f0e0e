import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LaunchRecord } from '../../src/experiment-record.js';
import { cgroupPressureOf, reaperCpusOf, type AppRef, type Arm, type ExperimentSpec } from '../../src/experiment-spec.js';
import { systemKillKey } from '../../src/experiment-logcat.js';
import { distribution } from '../../src/experiment-stats.js';
import type { AgentSite } from '../commands/agent-client.js';
import { AgentSwitch, type AgentBefore } from './agent-switch.js';
import { readDeviceClock } from './device-clock.js';
import { killKey, readKillLog } from './kill-log-reader.js';
import { launchApp } from './launch.js';
import { logcatAvailable, readSystemKills } from './logcat-reader.js';
import { PsiSampler, psiReadable } from './psi-sampler.js';
import { RECORDS_FILE, RecordsFile } from './records-file.js';

export interface RunOptions {
  readonly spec: ExperimentSpec;
  readonly site: AgentSite;
  readonly outDir: string;
  /** One line of progress (arm, round, app). */
  readonly progress: (line: string) => void;
  /** Aborted on Ctrl-C: the run stops after the step in progress, cleans up and keeps its records. */
  readonly signal: AbortSignal;
}

export interface RunOutcome {
  readonly complete: boolean;
  /** Why it stopped early: "interrupted", or the error. */
  readonly reason: string | null;
  readonly recordsPath: string;
  /** What was done to leave the device as it was found. */
  readonly restored: string;
  readonly launches: number;
}

const DEFAULT_PSI = '/proc/pressure/memory';

/** Waits, or less if the run is interrupted. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs an experiment on a device: for each round, for each arm, the arm's agent (or none) is
 * started, each app launched with `am start -W` and a pause after it, then the agent stopped and
 * the kills of that turn collected (lmk's from its kill log; the phone's own killer's from
 * logcat where there is one). PSI is sampled throughout. Every measurement is appended to
 * OUT/records.jsonl as it is made. However it ends, the agent that ran before is restored (or
 * none left running).
 */
export async function runExperiment(options: RunOptions): Promise<RunOutcome> {
  const { spec, site, signal, progress } = options;
  const device = site.device;
  const agent = new AgentSwitch(site);
  // Every arm's config is checked before the device is touched (exit 2 with its path).
  for (const arm of spec.arms) if (arm.config !== null) agent.effectiveConfig(arm.config);

  const before: AgentBefore | null = await agent.before();
  const clock = await readDeviceClock(device);
  const logcat = await logcatAvailable(device);
  const psiPath = spec.psi.path ?? cgroupPressureOf(spec.arms) ?? DEFAULT_PSI;
  const psiOk = await psiReadable(device, psiPath);

  mkdirSync(options.outDir, { recursive: true });
  const recordsPath = join(options.outDir, RECORDS_FILE);
  const records = new RecordsFile(recordsPath);
  const now = (): number => Date.now();
  records.write({
    type: 'run',
    version: 1,
    t: now(),
    name: spec.name,
    serial: site.where,
    spec: {
      apps: spec.apps,
      rounds: spec.rounds,
      pauseMs: spec.pauseMs,
      settleMs: spec.settleMs,
      ...(spec.background ? { background: spec.background } : {}),
      psi: spec.psi,
      arms: spec.arms.map((arm) => ({ name: arm.name, config: arm.config })),
    },
    reaperCpus: Object.fromEntries(spec.arms.map((arm) => [arm.name, reaperCpusOf(arm.config)])),
    psiSource: psiOk ? psiPath : null,
    logcat: logcat ? 'available' : 'not available',
    deviceClockOffsetMs: clock.wallOffsetMs,
    deviceUptimeOffsetMs: clock.uptimeOffsetMs,
    agentBefore: before ? { agentPid: before.pids.agentPid, supervisorPid: before.pids.supervisorPid } : null,
  });
  const note = (text: string): void => {
    records.write({ type: 'note', t: now(), message: text });
    progress(`note: ${text}`);
  };
  if (!psiOk) note(`PSI not available: ${psiPath} cannot be read on ${site.where}`);
  if (!logcat) note(`the phone's own killer: not available (no logcat on ${site.where})`);
  if (clock.wallOffsetMs === null) note("the device's wall clock could not be read: kill times assume it agrees with this machine's");
  if (before) note(`an agent was running (pid ${before.pids.agentPid ?? 'restarting'}): it is stopped for the experiment and restored after`);

  // Kills logged before the run are not the run's.
  const seenKills = new Set((await readKillLog(site)).map(killKey));
  const seenSystemKills = new Set(logcat ? (await readSystemKills(device)).map(systemKillKey) : []);
  const wallOffset = clock.wallOffsetMs ?? 0;

  let current: { arm: string; round: number } | null = null;
  const sampler = psiOk
    ? new PsiSampler(device, psiPath, spec.psi.intervalMs, (sample) => {
        records.write({
          type: 'psi',
          t: sample.t,
          arm: current?.arm ?? null,
          round: current?.round ?? null,
          some: { avg10: sample.psi.some.avg10, totalUs: sample.psi.some.totalUs },
          full: sample.psi.full ? { avg10: sample.psi.full.avg10, totalUs: sample.psi.full.totalUs } : null,
        });
      })
    : undefined;

  /** Kills logged since the last look, all from the turn that just ended (its agent is stopped). */
  const collectKills = async (arm: string, round: number): Promise<string> => {
    const fresh = (await readKillLog(site)).filter((record) => !seenKills.has(killKey(record)));
    for (const record of fresh) {
      seenKills.add(killKey(record));
      records.write({ type: 'kill', source: 'lmk', t: Math.max(0, Date.parse(record.time) - wallOffset), arm, round, record });
    }
    let system = 'n/a';
    if (logcat) {
      const kills = (await readSystemKills(device)).filter((kill) => !seenSystemKills.has(systemKillKey(kill)));
      for (const kill of kills) {
        seenSystemKills.add(systemKillKey(kill));
        records.write({
          type: 'kill',
          source: 'system',
          t: Math.max(0, kill.deviceTimeMs - wallOffset),
          arm,
          round,
          pid: kill.pid,
          uid: kill.uid,
          name: kill.name,
          adj: kill.adj,
          minAdj: kill.minAdj,
          rssKb: kill.rssKb,
          swapKb: kill.swapKb,
          reason: kill.reason,
        });
      }
      system = String(kills.length);
    }
    const reap = distribution(fresh.flatMap((record) => (record.reap && record.reap.errno === null ? [record.reap.ms] : [])));
    return `${fresh.length} kill${fresh.length === 1 ? '' : 's'} by lmk${reap ? ` (reap median ${reap.median.toFixed(1)} ms)` : ''}, ${system} by the phone's killer`;
  };

  let launches = 0;
  const launch = async (arm: Arm, round: number, app: AppRef, background: boolean, prefix: string): Promise<void> => {
    const result = await launchApp(device, app);
    const r = result.result;
    const record: LaunchRecord = {
      type: 'launch',
      t: result.t,
      arm: arm.name,
      round,
      package: app.package,
      activity: app.activity,
      background,
      ok: r.ok,
      launchState: r.launchState,
      totalTimeMs: r.totalTimeMs,
      waitTimeMs: r.waitTimeMs,
      wallMs: result.wallMs,
      error: r.error,
    };
    records.write(record);
    if (!background) launches++;
    const what = r.ok ? `${r.launchState ?? '?'} ${r.totalTimeMs ?? r.waitTimeMs ?? '?'} ms` : `FAILED: ${r.error ?? 'unknown'}`;
    progress(`${prefix} ${background ? 'background ' : ''}${app.package}: ${what}`);
  };

  let agentRunning = false;
  let reason: string | null = null;
  let interruptedAt: string | null = null;
  try {
    rounds: for (let round = 1; round <= spec.rounds; round++) {
      for (const arm of spec.arms) {
        if (signal.aborted) break rounds;
        const prefix = `round ${round}/${spec.rounds} · ${arm.name} ·`;
        await agent.stop();
        let agentPid: number | null = null;
        if (arm.config !== null) {
          agentRunning = true;
          const started = await agent.start(arm.config);
          agentPid = started.agentPid;
          progress(`${prefix} agent started (pid ${agentPid}, reaper cpus ${reaperCpusOf(arm.config)})`);
        } else {
          progress(`${prefix} no lmk`);
        }
        current = { arm: arm.name, round };
        records.write({ type: 'arm-start', t: now(), arm: arm.name, round, agentPid });
        await pause(spec.settleMs, signal);
        for (const app of spec.background?.apps ?? []) {
          if (signal.aborted) break;
          await launch(arm, round, app, true, prefix);
          await pause(spec.background?.pauseMs ?? 0, signal);
        }
        for (const app of spec.apps) {
          if (signal.aborted) break;
          await launch(arm, round, app, false, prefix);
          await pause(spec.pauseMs, signal);
        }
        if (signal.aborted) interruptedAt = prefix;
        // The turn ends when its agent is gone: a kill it makes while stopping is still this arm's.
        if (agentRunning) {
          await agent.stop();
          agentRunning = false;
        }
        records.write({ type: 'arm-end', t: now(), arm: arm.name, round });
        current = null;
        progress(`${prefix} ${await collectKills(arm.name, round)}`);
      }
    }
  } catch (error) {
    reason = message(error);
    if (current !== null) {
      const { arm, round } = current;
      try {
        if (agentRunning) await agent.stop();
        records.write({ type: 'arm-end', t: now(), arm, round });
        current = null;
        progress(`round ${round}/${spec.rounds} · ${arm} · ${await collectKills(arm, round)}`);
      } catch (cleanupError) {
        note(`could not collect the last turn's kills: ${message(cleanupError)}`);
      }
      if (current !== null) records.write({ type: 'arm-end', t: now(), arm, round });
      current = null;
    }
  }
  await sampler?.stop();
  if (sampler && sampler.bad > 0) note(`${sampler.bad} PSI sample(s) did not parse and were dropped`);
  let restored: string;
  try {
    restored = await agent.restore(before);
  } catch (error) {
    restored = `could not restore the agent: ${message(error)}`;
    note(restored);
  }
  if (reason === null && signal.aborted) reason = interruptedAt ? `interrupted (in ${interruptedAt.replace(/ ·$/, '')})` : 'interrupted';
  records.write({ type: 'end', t: now(), complete: reason === null, reason });
  records.close();
  return { complete: reason === null, reason, recordsPath, restored, launches };
}
