import type { Socket } from 'node:net';
import {
  A_CLSE,
  A_CNXN,
  A_OKAY,
  A_OPEN,
  A_VERSION,
  A_WRTE,
  encodeMessage,
  MAX_PAYLOAD,
  MAX_PAYLOAD_HANDSHAKE,
  type Message,
} from './message.js';
import { MessageReader, ProtocolError } from './message-reader.js';
import { AdbStream, type StreamTransport } from './stream.js';

/** Starts the service named in an OPEN on a fresh stream, or returns undefined if unknown. */
export type ServiceResolver = (name: string) => ((stream: AdbStream) => void) | undefined;

export interface ConnectionOptions {
  /** "device::ro.product.name=…;…;features=…" */
  readonly banner: string;
  readonly resolve: ServiceResolver;
  readonly log?: (line: string) => void;
}

/** The device side of one transport connection from the adb server. */
export class AdbConnection implements StreamTransport {
  private readonly reader = new MessageReader();
  private readonly streams = new Map<number, AdbStream>();
  private nextLocalId = 1;
  private connected = false;
  maxPayload = MAX_PAYLOAD_HANDSHAKE;

  constructor(
    private readonly socket: Socket,
    private readonly options: ConnectionOptions,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => this.closeAll());
    socket.on('error', () => this.closeAll());
  }

  send(message: Message): void {
    if (!this.socket.destroyed) this.socket.write(encodeMessage(message));
  }

  forget(localId: number): void {
    this.streams.delete(localId);
  }

  private receive(chunk: Buffer): void {
    let messages: Message[];
    try {
      messages = this.reader.push(chunk);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      this.options.log?.(`adbd: ${error.message}; closing the connection`);
      this.socket.destroy();
      return;
    }
    for (const message of messages) this.handle(message);
  }

  private handle(message: Message): void {
    if (message.command === A_CNXN) {
      this.handshake(message);
      return;
    }
    if (!this.connected) return; // anything before CNXN is ignored
    switch (message.command) {
      case A_OPEN:
        this.open(message.arg0, message.payload);
        return;
      case A_OKAY:
        this.streams.get(message.arg1)?.handleOkay();
        return;
      case A_WRTE:
        this.streams.get(message.arg1)?.handleWrite(message.payload);
        return;
      case A_CLSE:
        this.streams.get(message.arg1)?.handlePeerClose();
        return;
      default:
        this.options.log?.(`adbd: unexpected command 0x${message.command.toString(16)}; closing the connection`);
        this.socket.destroy();
    }
  }

  private handshake(message: Message): void {
    // A second CNXN means the server restarted its side: forget the old streams.
    this.closeAll();
    this.connected = true;
    this.maxPayload = Math.min(MAX_PAYLOAD, Math.max(message.arg1, MAX_PAYLOAD_HANDSHAKE));
    const version = Math.min(A_VERSION, message.arg0);
    this.send({ command: A_CNXN, arg0: version, arg1: MAX_PAYLOAD, payload: Buffer.from(this.options.banner) });
  }

  private open(remoteId: number, payload: Buffer): void {
    if (remoteId === 0) return;
    const end = payload.indexOf(0);
    const name = payload.subarray(0, end < 0 ? payload.length : end).toString('utf8');
    const start = this.options.resolve(name);
    if (!start) {
      this.options.log?.(`adbd: unknown service ${JSON.stringify(name)}`);
      this.send({ command: A_CLSE, arg0: 0, arg1: remoteId, payload: Buffer.alloc(0) });
      return;
    }
    const localId = this.nextLocalId++;
    const stream = new AdbStream(localId, remoteId, this);
    this.streams.set(localId, stream);
    this.send({ command: A_OKAY, arg0: localId, arg1: remoteId, payload: Buffer.alloc(0) });
    try {
      start(stream);
    } catch (error) {
      this.options.log?.(`adbd: service ${JSON.stringify(name)} failed: ${String(error)}`);
      stream.close();
    }
  }

  private closeAll(): void {
    for (const stream of [...this.streams.values()]) stream.handlePeerClose();
    this.streams.clear();
    this.connected = false;
  }
}
