import { formatBandsEvent, BandsEventSchema } from '../../src/band-report.js';
import { isReply, parseServerMessage } from '../../src/control-protocol.js';
import { formatEvent } from '../../src/event-format.js';
import { CliError } from '../cli-error.js';
import { describeFailure, notDeployed, openSite, type ControlOptions } from './agent-client.js';

export interface WatchOptions extends ControlOptions {
  /** Seconds between band-count lines (text output only); 0: none. */
  readonly bandsEvery?: string;
}

/** Keep only the last few lines that are not events: the last one is the reason it failed. */
const MAX_DIAGNOSTICS = 20;

function bandsEveryMs(text: string | undefined): number {
  if (text === undefined) return 5000;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 86_400) throw new CliError(`--bands-every wants a number of seconds from 0 to 86400, not '${text}'`);
  return Math.round(seconds * 1000);
}

/**
 * `lmk watch`: streams the running agent's kill and pressure events, one line each, and every few
 * seconds a line of how many processes sit in each band, until interrupted (exit 0) or the agent
 * goes away (exit 1). `--json` prints the agent's event records as they come, and nothing else.
 */
export async function watchCommand(options: WatchOptions): Promise<void> {
  const json = options.json === true;
  const everyMs = bandsEveryMs(options.bandsEvery);
  const site = await openSite(options);
  const controller = new AbortController();
  const interrupt = (): void => controller.abort();
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  // Our reader went away (`lmk watch | head`): stop the stream and leave quietly.
  process.stdout.on('error', interrupt);
  const diagnostics: string[] = [];
  const onLine = (line: string): void => {
    if (controller.signal.aborted || line.trim() === '') return;
    const parsed = parseServerMessage(line);
    if (!parsed.ok) {
      diagnostics.push(line.trim());
      if (diagnostics.length > MAX_DIAGNOSTICS) diagnostics.shift();
      return;
    }
    if (isReply(parsed.message)) return;
    if (parsed.message.event === 'bands') {
      const bands = BandsEventSchema.safeParse(parsed.message);
      if (!json && everyMs > 0 && bands.success) process.stdout.write(`${formatBandsEvent(bands.data)}\n`);
      return;
    }
    process.stdout.write(`${json ? line.trim() : formatEvent(parsed.message)}\n`);
  };
  // The device side prints band counts at least this often even with --json (they are dropped
  // here): it then notices within that time that this end went away, and exits.
  const args = ['watch', '--state-dir', site.stateDir, '--bands-every', String(everyMs === 0 || json ? 5000 : everyMs)];
  try {
    const code = await site.device.shellLines(site.command(args), onLine, { root: true, signal: controller.signal });
    if (code === null || controller.signal.aborted) return;
    if (!site.local && code === 127) throw notDeployed(site);
    if (code !== 0) {
      const reason = diagnostics.at(-1)?.replace(/^lmk-agent: /, '') ?? `the agent's event stream ended (exit ${code})`;
      throw new CliError(describeFailure(site, reason));
    }
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    process.stdout.off('error', interrupt);
  }
}
