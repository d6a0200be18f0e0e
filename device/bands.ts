import { readdirSync, readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { bandOf } from '../src/bands.js';
import { compareBandProcesses, countBands, formatBandReport, type BandProcess, type BandReport } from '../src/band-report.js';
import { DEFAULT_STATE_DIR } from '../src/control-protocol.js';
import { parseCmdline, processName } from '../src/procfs/cmdline.js';
import { parseOomScoreAdj } from '../src/procfs/oom-score-adj.js';
import { parseStat } from '../src/procfs/stat.js';
import { parseStatus } from '../src/procfs/status.js';
import { DEFAULT_TIMEOUT_MS } from './control-client.js';
import { rootsFromEnv } from './roots.js';
import { watchWithBands } from './bands-watch.js';

/**
 * `lmk-agent bands`: every process of /proc with its oom_score_adj, Android band, uid, name and
 * memory. Kernel threads are left out (no memory of their own, and not killable); a process that
 * exits while it is read, or whose text does not parse, is counted as skipped and left out.
 */

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** One process, or 'gone' (exited, unreadable, unparsable) or 'kernel' (a kernel thread). */
export function readBandProcess(procRoot: string, pid: number): BandProcess | 'gone' | 'kernel' {
  const adjText = readText(`${procRoot}/${pid}/oom_score_adj`);
  const statText = readText(`${procRoot}/${pid}/stat`);
  const statusText = readText(`${procRoot}/${pid}/status`);
  if (adjText === undefined || statText === undefined || statusText === undefined) return 'gone';
  try {
    const stat = parseStat(statText);
    if (stat.isKernelThread) return 'kernel';
    const status = parseStatus(statusText);
    const adj = parseOomScoreAdj(adjText);
    const argv = parseCmdline(readText(`${procRoot}/${pid}/cmdline`) ?? '');
    return {
      pid,
      adj,
      band: bandOf(adj),
      uid: status.uid.real,
      name: processName(argv, stat.comm),
      rssKb: status.vmRssKb ?? 0,
      swapKb: status.vmSwapKb ?? 0,
    };
  } catch {
    return 'gone';
  }
}

/** Scans `procRoot` once. */
export function scanBands(procRoot: string, now = new Date()): BandReport {
  let entries: string[];
  try {
    entries = readdirSync(procRoot);
  } catch (error) {
    throw new Error(`cannot read ${procRoot}: ${(error as Error).message}`);
  }
  const processes: BandProcess[] = [];
  let skipped = 0;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const found = readBandProcess(procRoot, Number(entry));
    if (found === 'gone') skipped++;
    else if (found !== 'kernel') processes.push(found);
  }
  processes.sort(compareBandProcesses);
  return { time: now.toISOString(), processes, counts: countBands(processes), skipped };
}

function positiveInt(name: string): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} wants a whole number of milliseconds, not ${JSON.stringify(text)}`);
    return n;
  };
}

/** Adds `bands` and `watch` to the agent's command line. */
export function registerBandsCommands(program: Command): void {
  program
    .command('bands')
    .description("list this machine's processes by Android importance band (oom_score_adj), with uid, RSS and name")
    .option('--json', 'print one JSON object')
    .action((options: { json?: boolean }) => {
      const report = scanBands(rootsFromEnv().procRoot);
      process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : formatBandReport(report));
    });

  program
    .command('watch')
    .description("print the running agent's events as JSON lines, with a {event:'bands'} line of its band counts every --bands-every ms")
    .addOption(new Option('--state-dir <dir>', 'the agent state directory, holding control.sock').default(DEFAULT_STATE_DIR))
    .addOption(new Option('--bands-every <ms>', 'how often to add the band counts (0: never)').default(5000).argParser(positiveInt('--bands-every')))
    .addOption(new Option('--timeout <ms>', 'how long to wait for the agent').default(DEFAULT_TIMEOUT_MS).argParser(positiveInt('--timeout')))
    .option('--json', 'print JSON lines (the default; accepted so every command takes it)')
    .action((options: { stateDir: string; bandsEvery: number; timeout: number }) => watchWithBands(options.stateDir, options.bandsEvery, options.timeout));
}
