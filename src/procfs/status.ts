import { ParseError, parseIntStrict } from '../parse-error.js';

/** The four uids of a task, as the Uid: line lists them. */
export interface Uids {
  readonly real: number;
  readonly effective: number;
  readonly saved: number;
  readonly fs: number;
}

/** /proc/<pid>/status: every line by key, plus typed fields. Memory is in kB. */
export interface ProcStatus {
  /** Every "Key:\tvalue" line, value as printed (leading whitespace removed). */
  readonly fields: ReadonlyMap<string, string>;
  /** comm, with the kernel's escapes undone. */
  readonly name: string;
  /** One letter, from e.g. "S (sleeping)". */
  readonly state: string;
  readonly tgid: number;
  readonly pid: number;
  readonly ppid: number;
  readonly uid: Uids;
  readonly threads: number;
  // The memory lines are absent for tasks without an mm: kernel threads and zombies.
  readonly vmRssKb: number | undefined;
  readonly rssAnonKb: number | undefined;
  readonly rssFileKb: number | undefined;
  readonly rssShmemKb: number | undefined;
  readonly vmSwapKb: number | undefined;
}

/** Parses /proc/<pid>/status. */
export function parseStatus(text: string, source = '/proc/<pid>/status'): ProcStatus {
  const fields = new Map<string, string>();
  let rawName: string | undefined;
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new ParseError(source, `not a "Key: value" line: ${JSON.stringify(line)}`);
    const key = line.slice(0, colon);
    if (!/^\w+$/.test(key)) throw new ParseError(source, `bad key: ${JSON.stringify(key)}`);
    // Two reads glued together would repeat keys; refuse rather than pick one.
    if (fields.has(key)) throw new ParseError(source, `duplicate key ${key}`);
    const value = line.slice(colon + 1);
    fields.set(key, value.replace(/^[\t ]+/, ''));
    // A comm may begin with spaces: take Name's value after the one tab the kernel prints.
    if (key === 'Name') rawName = value.replace(/^\t/, '');
  }

  const required = (key: string): string => {
    const value = fields.get(key);
    if (value === undefined) throw new ParseError(source, `missing ${key}`);
    return value;
  };
  const int = (key: string): number => parseIntStrict(required(key), source, key);

  const stateMatch = /^([A-Za-z]) \([^)]*\)$/.exec(required('State'));
  if (!stateMatch) throw new ParseError(source, `bad State: ${JSON.stringify(fields.get('State'))}`);

  const uidParts = required('Uid').split(/\s+/);
  if (uidParts.length !== 4) throw new ParseError(source, `Uid needs 4 values: ${JSON.stringify(fields.get('Uid'))}`);
  const [real, effective, saved, fs] = uidParts.map((part) => parseIntStrict(part, source, 'Uid'));

  const status: ProcStatus = {
    fields,
    name: unescapeName(rawName ?? required('Name'), source),
    state: stateMatch[1]!,
    tgid: int('Tgid'),
    pid: int('Pid'),
    ppid: int('PPid'),
    uid: { real: real!, effective: effective!, saved: saved!, fs: fs! },
    threads: int('Threads'),
    vmRssKb: statusKb(fields, 'VmRSS', source),
    rssAnonKb: statusKb(fields, 'RssAnon', source),
    rssFileKb: statusKb(fields, 'RssFile', source),
    rssShmemKb: statusKb(fields, 'RssShmem', source),
    vmSwapKb: statusKb(fields, 'VmSwap', source),
  };
  return status;
}

/**
 * A "<n> kB" line of a status map, e.g. VmHWM or HugetlbPages; undefined when the line is
 * absent, ParseError when it is present but not "<n> kB".
 */
export function statusKb(fields: ReadonlyMap<string, string>, key: string, source = '/proc/<pid>/status'): number | undefined {
  const value = fields.get(key);
  if (value === undefined) return undefined;
  const match = /^(\d+) kB$/.exec(value);
  if (!match) throw new ParseError(source, `${key} is not "<n> kB": ${JSON.stringify(value)}`);
  return parseIntStrict(match[1]!, source, key);
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  f: '\f',
  v: '\v',
  a: '\x07',
  e: '\x1b',
  '\\': '\\',
  '"': '"',
};

/**
 * Name: is comm escaped: octal "\ooo" on older kernels (seq_escape), "\n"-style letters on newer
 * ones (string_escape_str with ESCAPE_SPACE|ESCAPE_SPECIAL). Undo both.
 */
function unescapeName(text: string, source: string): string {
  return text.replace(/\\([0-7]{3}|.)/gs, (whole, code: string) => {
    if (code.length === 3) return String.fromCharCode(parseInt(code, 8));
    const plain = SIMPLE_ESCAPES[code];
    if (plain === undefined) throw new ParseError(source, `unknown escape in Name: ${JSON.stringify(whole)}`);
    return plain;
  });
}
