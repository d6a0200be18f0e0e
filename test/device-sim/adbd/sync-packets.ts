/** Byte layouts of the sync: service (v1), all little-endian. */
export const SYNC_DATA_MAX = 64 * 1024;
export const MAX_PATH = 1024;

/** A sync request or response header: a four-letter id and a u32. */
export function syncHeader(id: string, value: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.write(id, 0, 'latin1');
  bytes.writeUInt32LE(value >>> 0, 4);
  return bytes;
}

export function syncFail(reason: string): Buffer {
  const text = Buffer.from(reason, 'utf8');
  return Buffer.concat([syncHeader('FAIL', text.length), text]);
}

export interface StatFields {
  readonly mode: number;
  readonly size: number;
  readonly mtime: number;
}

export const MISSING: StatFields = { mode: 0, size: 0, mtime: 0 };

function u32(value: number): number {
  return Math.floor(value) % 2 ** 32;
}

/** "STAT" mode size mtime (all zero when the path does not exist). */
export function statReply(st: StatFields): Buffer {
  const bytes = Buffer.alloc(16);
  bytes.write('STAT', 0, 'latin1');
  bytes.writeUInt32LE(u32(st.mode), 4);
  bytes.writeUInt32LE(u32(st.size), 8);
  bytes.writeUInt32LE(u32(st.mtime), 12);
  return bytes;
}

/** "DENT" mode size mtime namelen name; "DONE" with zero fields ends a listing. */
export function dent(id: 'DENT' | 'DONE', st: StatFields, name: string): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  const bytes = Buffer.alloc(20 + nameBytes.length);
  bytes.write(id, 0, 'latin1');
  bytes.writeUInt32LE(u32(st.mode), 4);
  bytes.writeUInt32LE(u32(st.size), 8);
  bytes.writeUInt32LE(u32(st.mtime), 12);
  bytes.writeUInt32LE(nameBytes.length, 16);
  nameBytes.copy(bytes, 20);
  return bytes;
}
