import { readFileSync } from 'node:fs';
import { CliError } from './cli-error.js';

/** Reads a file the user named (config, spec); unreadable is a one-line error, exit 2. */
export function readInputFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`, 2);
  }
}
