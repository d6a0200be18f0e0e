/**
 * The shell protocol (adb feature "shell_v2"): packets of a 1-byte id, a u32 little-endian
 * length and the data, in both directions.
 */
export const ShellPacketId = {
  stdin: 0,
  stdout: 1,
  stderr: 2,
  exit: 3,
  closeStdin: 4,
  windowSizeChange: 5,
} as const;

export interface ShellPacket {
  readonly id: number;
  readonly data: Buffer;
}

export function encodeShellPacket(id: number, data: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt8(id, 0);
  header.writeUInt32LE(data.length, 1);
  return Buffer.concat([header, data]);
}

/** Reassembles packets that WRTE boundaries may split or join. */
export class ShellPacketReader {
  private buffered: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): ShellPacket[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const packets: ShellPacket[] = [];
    while (this.buffered.length >= 5) {
      const length = this.buffered.readUInt32LE(1);
      if (this.buffered.length < 5 + length) break;
      packets.push({ id: this.buffered.readUInt8(0), data: this.buffered.subarray(5, 5 + length) });
      this.buffered = this.buffered.subarray(5 + length);
    }
    return packets;
  }
}
