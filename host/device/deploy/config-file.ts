import { readFileSync } from 'node:fs';
import { parseConfig, parseConfigText } from '../../../src/config.js';
import { CliError } from '../../cli-error.js';

/**
 * The config to deploy: FILE checked here first (refused with the bad field's path), with
 * stateDir set to the device's state dir unless the file sets one.
 */
export function deviceConfig(file: string, stateDir: string): Buffer {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const checked = parseConfigText(text, file);
  if (!checked.ok) throw new CliError(checked.error);
  const json = JSON.parse(text) as Record<string, unknown>;
  const config = 'stateDir' in json ? json : { ...json, stateDir };
  const again = parseConfig(config);
  if (!again.ok) throw new CliError(`${file}: ${again.error}`);
  return Buffer.from(`${JSON.stringify(config, null, 2)}\n`);
}
