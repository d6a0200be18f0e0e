import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { DEFAULT_STATE_DIR, controlSocketPath, oneLine, type ControlReply, type ControlRequest } from '../src/control-protocol.js';
import { DEFAULT_TIMEOUT_MS, sendRequest, subscribe } from './control-client.js';

/**
 * `lmk-agent client status|subscribe|reload FILE|stop`: a client of a running agent's control
 * socket. Prints JSON lines (the machine interface the host reads, through `su` on a phone or
 * locally for --local); exits non-zero with a one-line reason when the agent refuses or is absent.
 */

interface ClientOptions {
  readonly stateDir: string;
  readonly json?: boolean;
  readonly timeout: number;
}

function parseTimeout(text: string): number {
  const ms = Number(text);
  if (!Number.isSafeInteger(ms) || ms <= 0) throw new Error(`--timeout wants a positive number of milliseconds, not ${JSON.stringify(text)}`);
  return ms;
}

function withClientOptions(command: Command): Command {
  return command
    .addOption(new Option('--state-dir <dir>', 'the agent state directory, holding control.sock').default(DEFAULT_STATE_DIR))
    .option('--json', 'print JSON lines (the default; accepted so every command takes it)')
    .addOption(new Option('--timeout <ms>', 'how long to wait for the agent').default(DEFAULT_TIMEOUT_MS).argParser(parseTimeout));
}

function printLine(message: object): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

async function request(options: ClientOptions, body: ControlRequest): Promise<void> {
  const reply: ControlReply = await sendRequest(controlSocketPath(options.stateDir), body, { timeoutMs: options.timeout });
  printLine(reply);
  if (!reply.ok) throw new Error(reply.error);
}

/** The config file (or stdin for "-") as a JSON object, or a one-line reason it is not one. */
function readConfig(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new Error(oneLine(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(oneLine(`${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`));
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`${file}: the config must be a JSON object`);
  return json as Record<string, unknown>;
}

async function streamEvents(options: ClientOptions): Promise<void> {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  // Whoever reads us went away (`| head`, the host's pipe): stop quietly.
  process.stdout.on('error', abort);
  try {
    await subscribe(
      controlSocketPath(options.stateDir),
      (message) => {
        if (!controller.signal.aborted) printLine(message);
      },
      controller.signal,
      { timeoutMs: options.timeout },
    );
  } finally {
    process.off('SIGINT', abort);
    process.off('SIGTERM', abort);
    process.stdout.off('error', abort);
  }
}

/** Adds `client` and its subcommands to the agent's command line. */
export function registerClientCommands(program: Command): void {
  const client = program.command('client').description("talk to the running agent through its control socket (prints JSON lines)");

  withClientOptions(client.command('status'))
    .description("print the agent's status")
    .action((options: ClientOptions) => request(options, { cmd: 'status' }));

  withClientOptions(client.command('subscribe'))
    .description('print kill and pressure events as they happen, one JSON line each, until interrupted')
    .action((options: ClientOptions) => streamEvents(options));

  withClientOptions(client.command('reload'))
    .argument('<file>', 'the new config (JSON); "-" reads it from stdin')
    .description('give the agent a new config; an invalid one is refused and the old one kept')
    .action((file: string, options: ClientOptions) => request(options, { cmd: 'reload', config: readConfig(file) }));

  withClientOptions(client.command('stop'))
    .description('ask the agent to stop')
    .action((options: ClientOptions) => request(options, { cmd: 'stop' }));
}
