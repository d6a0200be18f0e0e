import { ParseError } from '../parse-error.js';

export interface MemoryMapping {
  readonly start: bigint;
  readonly end: bigint;
  readonly perms: string;
  readonly inode: number;
  /** File path, "[heap]"-style pseudo name, or "" for anonymous memory. */
  readonly pathname: string;
}

const LINE = /^([0-9a-f]+)-([0-9a-f]+) ([r-][w-][x-][ps]) [0-9a-f]+ [0-9a-f]+:[0-9a-f]+ (\d+)\s*(.*)$/;

/** /proc/<pid>/maps. */
export function parseMaps(text: string): MemoryMapping[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const match = LINE.exec(line);
      if (!match) throw new ParseError('/proc/<pid>/maps', `bad line ${JSON.stringify(line)}`);
      return {
        start: BigInt(`0x${match[1]}`),
        end: BigInt(`0x${match[2]}`),
        perms: match[3]!,
        inode: Number(match[4]),
        pathname: match[5]!,
      };
    });
}

/** Executable mappings of files (the program and its libraries): what a thrashing agent refaults. */
export function fileBackedCode(mappings: readonly MemoryMapping[]): MemoryMapping[] {
  return mappings.filter((m) => m.perms[2] === 'x' && m.inode !== 0 && m.pathname.startsWith('/'));
}
