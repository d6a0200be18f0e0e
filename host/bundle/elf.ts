import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { CliError } from '../cli-error.js';

/** e_machine of a little-endian ELF file (62 x86_64, 183 aarch64), checked before it is shipped. */
export function elfMachine(path: string): number {
  const header = Buffer.alloc(20);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (header.readUInt32BE(0) !== 0x7f454c46) throw new CliError(`${path} is not an ELF file`);
  if (header[5] !== 1) throw new CliError(`${path} is not a little-endian ELF file`);
  return header.readUInt16LE(18);
}

/**
 * Which C library an ELF shared object is linked against, from the sonames in it: glibc's are
 * versioned (`libc.so.6`), bionic's are not (`libc.so`). Enough to tell koffi's linux build from
 * its android build without an ELF parser.
 */
export function elfLibc(path: string): 'glibc' | 'bionic' | 'unknown' {
  const bytes = readFileSync(path);
  if (bytes.includes('\0libc.so.6\0')) return 'glibc';
  if (bytes.includes('\0libc.so\0')) return 'bionic';
  return 'unknown';
}
