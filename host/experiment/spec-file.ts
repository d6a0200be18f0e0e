import { readFileSync } from 'node:fs';
import { parseExperimentSpecText, type ExperimentSpec } from '../../src/experiment-spec.js';
import { CliError } from '../cli-error.js';

/** Reads and checks a spec file; a bad one is refused with its field's path (exit 2), before any device is touched. */
export function readSpecFile(file: string): ExperimentSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`, 2);
  }
  const result = parseExperimentSpecText(text, file);
  if (!result.ok) throw new CliError(result.error, 2);
  return result.spec;
}
