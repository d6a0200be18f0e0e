import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { experimentCharts } from '../../src/experiment-charts.js';
import { summaryCsv } from '../../src/experiment-csv.js';
import { reportHtml } from '../../src/experiment-html.js';
import { parseExperimentRecords, type ExperimentRecords } from '../../src/experiment-record.js';
import { summarizeExperiment, type ArmSummary } from '../../src/experiment-summary.js';
import { experimentTrace } from '../../src/trace-experiment.js';
import { RECORDS_FILE } from './records-file.js';

export const SUMMARY_FILE = 'summary.csv';
export const REPORT_FILE = 'report.html';
export const TRACE_FILE = 'trace.json';

/** ECharts' browser bundle, inlined into report.html. */
function chartLibrary(): string {
  const require = createRequire(import.meta.url);
  return readFileSync(require.resolve('echarts/dist/echarts.min'), 'utf8');
}

/** Writes through a temporary file and a rename: a reader never sees half a file. */
function writeAtomic(path: string, text: string): void {
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, text, { mode: 0o644 });
  renameSync(temporary, path);
}

export interface BuiltReport {
  readonly records: ExperimentRecords;
  readonly summaries: readonly ArmSummary[];
  readonly files: readonly string[];
}

/** Reads DIR/records.jsonl and (re)writes summary.csv, report.html and trace.json beside it. */
export function buildReport(dir: string): BuiltReport {
  const records = parseExperimentRecords(readFileSync(join(dir, RECORDS_FILE), 'utf8'));
  const summaries = summarizeExperiment(records);
  const files = [join(dir, SUMMARY_FILE), join(dir, REPORT_FILE), join(dir, TRACE_FILE)];
  writeAtomic(files[0]!, summaryCsv(summaries));
  writeAtomic(files[1]!, reportHtml({ records, summaries, charts: experimentCharts(records), chartLibrary: chartLibrary() }));
  writeAtomic(files[2]!, `${JSON.stringify(experimentTrace(records))}\n`);
  return { records, summaries, files };
}
