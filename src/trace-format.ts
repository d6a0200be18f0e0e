/**
 * The Chrome JSON trace format ("Trace Event Format"), as chrome://tracing and Perfetto's UI
 * import it: `{"traceEvents": [...]}` with timestamps in microseconds. Only the phases used
 * here: X (complete slice: ts + dur), i (instant: s = t thread, p process, g global),
 * C (counter: each numeric arg is a series), M (metadata: process_name, thread_name,
 * process_sort_index, thread_sort_index).
 */

export type TraceArgs = Readonly<Record<string, string | number | boolean | null>>;

interface Base {
  readonly name: string;
  readonly pid: number;
  readonly tid?: number;
  readonly ts: number;
  readonly cat?: string;
  readonly args?: TraceArgs;
}

export interface CompleteEvent extends Base {
  readonly ph: 'X';
  readonly tid: number;
  readonly dur: number;
}

export interface InstantEvent extends Base {
  readonly ph: 'i';
  readonly tid: number;
  readonly s: 't' | 'p' | 'g';
}

export interface CounterEvent extends Base {
  readonly ph: 'C';
  readonly args: Readonly<Record<string, number>>;
}

export interface MetadataEvent {
  readonly ph: 'M';
  readonly name: 'process_name' | 'thread_name' | 'process_sort_index' | 'thread_sort_index';
  readonly pid: number;
  readonly tid?: number;
  readonly ts?: number;
  readonly args: { readonly name: string } | { readonly sort_index: number };
}

export type TraceEvent = CompleteEvent | InstantEvent | CounterEvent | MetadataEvent;

export interface TraceFile {
  readonly traceEvents: readonly TraceEvent[];
  readonly displayTimeUnit: 'ms' | 'ns';
  /** Shown by chrome://tracing's metadata view; ignored by Perfetto. */
  readonly otherData?: Readonly<Record<string, string>>;
}

export function processName(pid: number, name: string, sortIndex: number): MetadataEvent[] {
  return [
    { ph: 'M', name: 'process_name', pid, args: { name } },
    { ph: 'M', name: 'process_sort_index', pid, args: { sort_index: sortIndex } },
  ];
}

export function threadName(pid: number, tid: number, name: string): MetadataEvent[] {
  return [
    { ph: 'M', name: 'thread_name', pid, tid, args: { name } },
    { ph: 'M', name: 'thread_sort_index', pid, tid, args: { sort_index: tid } },
  ];
}

/** Microseconds, rounded to 1 µs: importers take floats, but whole numbers keep the file small and exact. */
export function micros(ms: number): number {
  return Math.round(ms * 1000);
}
