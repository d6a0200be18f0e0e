import { readFileSync } from 'node:fs';
import { parseConfigText } from '../../src/config.js';
import { CliError } from '../cli-error.js';

export interface ConfigCheckOptions {
  readonly json?: boolean;
}

/**
 * `lmk config check FILE`: validates a config here, with nothing else involved. Prints "ok" and the
 * effective config (every default filled in), or the first bad field's path and why (exit 2).
 */
export function configCheckCommand(file: string, options: ConfigCheckOptions): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    if (options.json) process.stdout.write(`${JSON.stringify({ ok: false, file, error: `cannot read ${file}: ${why}` })}\n`);
    throw new CliError(options.json ? '' : `cannot read ${file}: ${why}`, 2);
  }
  const result = parseConfigText(text, file);
  if (!result.ok) {
    if (options.json) process.stdout.write(`${JSON.stringify({ ok: false, file, error: result.error })}\n`);
    throw new CliError(options.json ? '' : result.error, 2);
  }
  process.stdout.write(options.json ? `${JSON.stringify({ ok: true, file, config: result.config }, null, 2)}\n` : `ok\n${JSON.stringify(result.config, null, 2)}\n`);
}
