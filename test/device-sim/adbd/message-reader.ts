import { decodeHeader, HEADER_SIZE, MAX_PAYLOAD, type Message } from './message.js';

export class ProtocolError extends Error {}

/** Cuts a TCP byte stream into adb messages; throws ProtocolError on a corrupt header. */
export class MessageReader {
  private buffered: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Message[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const messages: Message[] = [];
    for (;;) {
      if (this.buffered.length < HEADER_SIZE) return messages;
      const header = decodeHeader(this.buffered);
      if (!header.magicOk) throw new ProtocolError('bad magic in message header');
      if (header.length > MAX_PAYLOAD) throw new ProtocolError(`payload of ${header.length} bytes exceeds ${MAX_PAYLOAD}`);
      const end = HEADER_SIZE + header.length;
      if (this.buffered.length < end) return messages;
      messages.push({ command: header.command, arg0: header.arg0, arg1: header.arg1, payload: this.buffered.subarray(HEADER_SIZE, end) });
      this.buffered = this.buffered.subarray(end);
    }
  }
}
