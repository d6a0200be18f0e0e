import { readInputFile } from '../input-file.js';
import { parseExperimentSpecText, type ExperimentSpec } from '../../src/experiment-spec.js';
import { CliError } from '../cli-error.js';

/** Reads and checks a spec file; a bad one is refused with its field's path (exit 2), before any device is touched. */
export function readSpecFile(file: string): ExperimentSpec {
  const text = readInputFile(file);
  const result = parseExperimentSpecText(text, file);
  if (!result.ok) throw new CliError(result.error, 2);
  return result.spec;
}
