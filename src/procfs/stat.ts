import { ParseError, parseIntStrict } from '../parse-error.js';

/** PF_KTHREAD in include/linux/sched.h: the task is a kernel thread. */
export const PF_KTHREAD = 0x00200000;

/**
 * Every kernel since 2.6.24 prints at least 44 fields (through cguest_time); fewer means a
 * truncated read, whose last number may itself be cut short.
 */
const MIN_FIELDS = 44;

/** The fields of /proc/<pid>/stat this project uses. Times are in clock ticks (USER_HZ). */
export interface ProcStat {
  readonly pid: number;
  /** The task's comm, raw (up to 15 bytes; may hold spaces and parentheses). */
  readonly comm: string;
  /** One letter: R, S, D, Z, T, t, X, I, ... */
  readonly state: string;
  readonly ppid: number;
  readonly flags: number;
  readonly isKernelThread: boolean;
  readonly minflt: number;
  readonly majflt: number;
  readonly utime: number;
  readonly stime: number;
  readonly nice: number;
  readonly numThreads: number;
  /** Clock ticks after boot at which the process started: with pid, its identity across pid reuse. */
  readonly starttime: number;
  /** Virtual size in bytes. */
  readonly vsize: number;
  /** Resident set in pages. */
  readonly rss: number;
  /** The CPU it last ran on. */
  readonly processor: number;
}

/** Parses /proc/<pid>/stat (one line, see proc(5)). */
export function parseStat(text: string, source = '/proc/<pid>/stat'): ProcStat {
  // comm is printed raw and may contain spaces, ')' and even newlines: it spans from the first
  // '(' to the LAST ')'; everything after that is plain space-separated numbers and the state.
  const open = text.indexOf(' (');
  const close = text.lastIndexOf(')');
  if (open <= 0 || close < open) throw new ParseError(source, 'no "pid (comm)" prefix');
  const pid = parseIntStrict(text.slice(0, open), source, 'pid');
  const comm = text.slice(open + 2, close);

  const tail = text.slice(close + 1).replace(/\n$/, '');
  if (!tail.startsWith(' ')) throw new ParseError(source, 'no space after comm');
  // rest[i] is field i + 3 in proc(5)'s 1-based numbering.
  const rest = tail.slice(1).split(' ');
  if (rest.length + 2 < MIN_FIELDS) {
    throw new ParseError(source, `only ${rest.length + 2} fields, expected at least ${MIN_FIELDS}`);
  }
  const field = (n: number, what: string): number => parseIntStrict(rest[n - 3] ?? '', source, what);

  const state = rest[0] ?? '';
  if (!/^[A-Za-z]$/.test(state)) throw new ParseError(source, `state is not one letter: ${JSON.stringify(state)}`);
  if (pid <= 0) throw new ParseError(source, `pid is not positive: ${pid}`);

  const flags = field(9, 'flags');
  const nice = field(19, 'nice');
  if (nice < -20 || nice > 19) throw new ParseError(source, `nice out of range: ${nice}`);
  return {
    pid,
    comm,
    state,
    ppid: field(4, 'ppid'),
    flags,
    // flags is an unsigned int: & works on its low 32 bits, which is all there is.
    isKernelThread: (flags & PF_KTHREAD) !== 0,
    minflt: field(10, 'minflt'),
    majflt: field(12, 'majflt'),
    utime: field(14, 'utime'),
    stime: field(15, 'stime'),
    nice,
    numThreads: field(20, 'num_threads'),
    starttime: field(22, 'starttime'),
    vsize: field(23, 'vsize'),
    rss: field(24, 'rss'),
    processor: field(39, 'processor'),
  };
}
