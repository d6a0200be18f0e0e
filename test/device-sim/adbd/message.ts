/**
 * The adb transport's message: a 24-byte little-endian header (command, arg0, arg1, payload
 * length, payload byte sum, command ^ 0xffffffff) followed by the payload.
 */
export const A_SYNC = 0x434e5953;
export const A_CNXN = 0x4e584e43;
export const A_AUTH = 0x48545541;
export const A_OPEN = 0x4e45504f;
export const A_OKAY = 0x59414b4f;
export const A_CLSE = 0x45534c43;
export const A_WRTE = 0x45545257;
export const A_STLS = 0x534c5453;

export const HEADER_SIZE = 24;
/** Protocol version that skips payload checksums (adb 1.0.36+); we still send the sum. */
export const A_VERSION = 0x01000001;
/** The largest payload we accept; the server's own limit may be smaller. */
export const MAX_PAYLOAD = 1024 * 1024;
/** CNXN and AUTH must fit in what the oldest servers accept. */
export const MAX_PAYLOAD_HANDSHAKE = 4096;

export interface Message {
  readonly command: number;
  readonly arg0: number;
  readonly arg1: number;
  readonly payload: Buffer;
}

export function commandName(command: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(command >>> 0);
  return /^[A-Z]{4}$/.test(bytes.toString('latin1')) ? bytes.toString('latin1') : `0x${command.toString(16)}`;
}

export function byteSum(payload: Buffer): number {
  let sum = 0;
  for (const byte of payload) sum = (sum + byte) >>> 0;
  return sum;
}

export function encodeMessage(message: Message): Buffer {
  const header = Buffer.alloc(HEADER_SIZE);
  header.writeUInt32LE(message.command >>> 0, 0);
  header.writeUInt32LE(message.arg0 >>> 0, 4);
  header.writeUInt32LE(message.arg1 >>> 0, 8);
  header.writeUInt32LE(message.payload.length, 12);
  header.writeUInt32LE(byteSum(message.payload), 16);
  header.writeUInt32LE((message.command ^ 0xffffffff) >>> 0, 20);
  return message.payload.length === 0 ? header : Buffer.concat([header, message.payload]);
}

export interface Header {
  readonly command: number;
  readonly arg0: number;
  readonly arg1: number;
  readonly length: number;
  readonly magicOk: boolean;
}

export function decodeHeader(bytes: Buffer): Header {
  const command = bytes.readUInt32LE(0);
  return {
    command,
    arg0: bytes.readUInt32LE(4),
    arg1: bytes.readUInt32LE(8),
    length: bytes.readUInt32LE(12),
    magicOk: bytes.readUInt32LE(20) === (command ^ 0xffffffff) >>> 0,
  };
}
