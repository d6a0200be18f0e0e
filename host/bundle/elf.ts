import { closeSync, openSync, readSync } from 'node:fs';
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
