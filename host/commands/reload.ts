import { readInputFile } from '../input-file.js';
import { parseConfigText } from '../../src/config.js';
import { shellQuote } from '../adb/shell-quote.js';
import { CliError } from '../cli-error.js';
import { clientRequest, openSite, type ControlOptions } from './agent-client.js';

/** Reads and checks a config file here; a bad one is refused with its field's path (exit 2). */
export function readConfigFile(file: string): Record<string, unknown> {
  const text = readInputFile(file);
  const checked = parseConfigText(text, file);
  if (!checked.ok) throw new CliError(checked.error, 2);
  return JSON.parse(text) as Record<string, unknown>;
}

/**
 * `lmk reload FILE`: checks the file here (exit 2 with the bad field's path), then gives it to the
 * running agent, which may still refuse it (it keeps its old config). A file without stateDir
 * gets the agent's, since that cannot change while it runs.
 */
export async function reloadCommand(file: string, options: ControlOptions): Promise<void> {
  const json = readConfigFile(file);
  const site = await openSite(options);
  const config = 'stateDir' in json ? json : { ...json, stateDir: site.stateDir };
  // The config travels on the command line into the agent's stdin: no file to leave behind.
  const reply = await clientRequest(site, ['reload', '-'], `printf '%s' ${shellQuote(JSON.stringify(config))} | `);
  if (!reply.ok) throw new CliError(`the agent refused the config (it keeps the old one): ${reply.error}`);
  process.stdout.write(options.json ? `${JSON.stringify(reply)}\n` : site.local ? 'config reloaded\n' : `config reloaded on ${site.where}\n`);
}
