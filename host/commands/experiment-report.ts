import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError } from '../cli-error.js';
import { buildReport } from '../experiment/outputs.js';
import { RECORDS_FILE } from '../experiment/records-file.js';
import { formatArmLine } from './experiment-run.js';

export interface ExperimentReportOptions {
  readonly json?: boolean;
}

/** `lmk experiment report DIR`: rebuilds summary.csv, report.html and trace.json from DIR/records.jsonl. */
export function experimentReportCommand(dir: string, options: ExperimentReportOptions): void {
  const path = resolve(dir);
  if (!existsSync(join(path, RECORDS_FILE))) throw new CliError(`no ${RECORDS_FILE} in ${path}: not the output folder of lmk experiment run`);
  let report;
  try {
    report = buildReport(path);
  } catch (error) {
    throw new CliError(`cannot build the report from ${join(path, RECORDS_FILE)}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (report.records.skipped > 0) process.stderr.write(`lmk: ${report.records.skipped} line(s) of ${RECORDS_FILE} were not valid records and were skipped\n`);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ok: true, dir: path, files: report.files, skipped: report.records.skipped, arms: report.summaries }, null, 2)}\n`);
    return;
  }
  for (const summary of report.summaries) process.stdout.write(`${formatArmLine(summary)}\n`);
  for (const file of report.files) process.stdout.write(`wrote ${file}\n`);
}
