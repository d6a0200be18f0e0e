import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { isReply, parseServerMessage } from '../../src/control-protocol.js';
import { formatEvent } from '../../src/event-format.js';
import { CliError } from '../cli-error.js';
import { LOCAL_AGENT_ENTRY } from '../local-agent.js';
import { agentFailure, requireLocal, type ControlOptions } from './agent-client.js';

/** Keep only the end of the agent client's stderr: its last line is the reason it failed. */
const MAX_STDERR_CHARS = 4096;

/** A streamed line as the user sees it: raw with --json, else one readable line. */
function render(line: string, json: boolean): string {
  if (json) return line;
  const parsed = parseServerMessage(line);
  if (!parsed.ok || isReply(parsed.message)) return line;
  return formatEvent(parsed.message);
}

/**
 * `lmk watch`: streams the running agent's kill and pressure events, one line each, until
 * interrupted (exit 0) or the agent goes away (exit 1).
 */
export async function watchCommand(options: ControlOptions): Promise<void> {
  requireLocal('watch', options);
  const json = options.json === true;
  const child = spawn(process.execPath, [LOCAL_AGENT_ENTRY, 'client', 'subscribe', '--state-dir', options.stateDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-MAX_STDERR_CHARS);
  });
  let interrupted = false;
  const interrupt = (): void => {
    interrupted = true;
    child.kill('SIGINT');
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  // Our reader went away (`lmk watch | head`): stop the client and leave quietly.
  process.stdout.on('error', interrupt);
  const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (interrupted || line.trim() === '') return;
    process.stdout.write(`${render(line, json)}\n`);
  });
  try {
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
    });
    if (code !== 0 && !interrupted) throw new CliError(agentFailure(stderr, code, signal));
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    process.stdout.off('error', interrupt);
  }
}
