import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ArmSummary } from '../../src/experiment-summary.js';
import { CliError } from '../cli-error.js';
import { buildReport } from '../experiment/outputs.js';
import { RECORDS_FILE } from '../experiment/records-file.js';
import { runExperiment } from '../experiment/runner.js';
import { readSpecFile } from '../experiment/spec-file.js';
import { openSite, type ControlOptions } from './agent-client.js';

export interface ExperimentRunOptions extends ControlOptions {
  readonly out?: string;
}

/** Exit code of a run stopped by Ctrl-C (128 + SIGINT), its records and report kept. */
export const INTERRUPTED_EXIT = 130;

function stamp(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
}

export function formatArmLine(s: ArmSummary): string {
  const ms = (v: number | undefined): string => (v === undefined ? '–' : v.toFixed(0));
  const parts = [
    `${s.launches} launches${s.failed > 0 ? ` (${s.failed} failed)` : ''}`,
    `cold ${s.coldShare === undefined ? '–' : `${(s.coldShare * 100).toFixed(0)} %`}`,
    `TotalTime median ${ms(s.totalTime?.median)} p90 ${ms(s.totalTime?.p90)} p99 ${ms(s.totalTime?.p99)} ms`,
    `kills lmk ${s.lmkKills}, phone ${s.systemKills ?? 'n/a'}`,
    `reap median ${s.reap ? `${s.reap.median.toFixed(2)} ms` : '–'}`,
    `PSI some ${s.psiSomeMs === null ? 'n/a' : `${s.psiSomeMs.toFixed(0)} ms`} full ${s.psiFullMs === null ? 'n/a' : `${s.psiFullMs.toFixed(0)} ms`}`,
  ];
  return `  ${s.arm} (reaper cpus ${s.reaperCpus}): ${parts.join(' · ')}`;
}

/**
 * `lmk experiment run SPEC.json`: A/B arms of agent configs (or none) on real launches; raw
 * records, summary.csv, report.html and trace.json in --out. Ctrl-C stops after the step in
 * progress, leaves the device as it was found and keeps what was measured (exit 130); a second
 * Ctrl-C leaves at once.
 */
export async function experimentRunCommand(specFile: string, options: ExperimentRunOptions): Promise<void> {
  if (options.local) throw new CliError('lmk experiment run needs a device (it launches apps with am start): --local is not supported');
  const spec = readSpecFile(specFile);
  const out = resolve(options.out ?? `lmk-experiment-${spec.name}-${stamp(new Date())}`);
  if (existsSync(resolve(out, RECORDS_FILE))) throw new CliError(`${out} already holds an experiment's records; choose another --out`);
  const site = await openSite(options);
  const log = (line: string): void => {
    (options.json ? process.stderr : process.stdout).write(`${line}\n`);
  };
  const controller = new AbortController();
  const interrupt = (): void => {
    if (controller.signal.aborted) {
      process.stderr.write('lmk: interrupted again: leaving now, without restoring the device\n');
      process.exit(INTERRUPTED_EXIT);
    }
    process.stderr.write('lmk: interrupted: finishing the step in progress, stopping the agent and restoring the device (Ctrl-C again to leave at once)\n');
    controller.abort();
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  let outcome;
  try {
    log(`experiment ${spec.name} on ${site.where}: ${spec.rounds} round(s) × ${spec.arms.length} arm(s) (${spec.arms.map((arm) => arm.name).join(', ')}) × ${spec.apps.length} app(s); output in ${out}`);
    outcome = await runExperiment({ spec, site, outDir: out, progress: log, signal: controller.signal });
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
  const report = buildReport(out);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ok: outcome.complete, complete: outcome.complete, reason: outcome.reason, out, records: outcome.recordsPath, files: report.files, restored: outcome.restored, arms: report.summaries }, null, 2)}\n`);
  } else {
    log(`${outcome.complete ? 'done' : `stopped early: ${outcome.reason ?? ''}`}; ${outcome.restored}`);
    for (const summary of report.summaries) log(formatArmLine(summary));
    log(`records ${outcome.recordsPath}`);
    for (const file of report.files) log(`        ${file}`);
  }
  if (!outcome.complete) {
    const interrupted = controller.signal.aborted && (outcome.reason ?? '').startsWith('interrupted');
    throw new CliError(interrupted ? '' : `the experiment stopped early: ${outcome.reason ?? 'unknown reason'} (what was measured is in ${out})`, interrupted ? INTERRUPTED_EXIT : 1);
  }
}

/** `lmk experiment run --help`: what a spec looks like. */
export const EXPERIMENT_SPEC_HELP = `
A spec (JSON); arms are agent configs as lmk start --config takes them, or null for no lmk:
  {
    "name": "reaper-placement",
    "apps": [{ "package": "com.android.chrome", "activity": "com.google.android.apps.chrome.Main" },
             { "package": "com.google.android.gm", "activity": ".ConversationListActivityGmail" }],
    "rounds": 10,
    "pauseMs": 2000,
    "settleMs": 1000,
    "background": { "apps": [{ "package": "com.google.android.youtube", "activity": ".HomeActivity" }], "pauseMs": 500 },
    "psi": { "intervalMs": 500 },
    "arms": { "little": { "reaper": { "cpus": "little" } }, "big": { "reaper": { "cpus": "big" } }, "stock": null }
  }
Arms run interleaved round by round (little, big, stock, little, …). Output in --out: records.jsonl
(raw, as measured), summary.csv (per arm), report.html (self-contained charts), trace.json (open in
Perfetto). Ctrl-C stops after the step in progress, restores the agent that ran before, keeps the records.`;
