import { A_CLSE, A_OKAY, A_WRTE, type Message } from './message.js';

/** What a stream needs from its connection. */
export interface StreamTransport {
  send(message: Message): void;
  /** Largest WRTE payload the peer accepts. */
  readonly maxPayload: number;
  forget(localId: number): void;
}

/**
 * One adb stream, seen from the device: our local id, the peer's remote id. Outgoing data is cut
 * into WRTE messages with at most one in flight (the next goes after the peer's OKAY); incoming
 * WRTE messages are handed to onData one at a time and acknowledged with OKAY once it resolves,
 * which gives the peer backpressure.
 */
export class AdbStream {
  private readonly queue: Buffer[] = [];
  private inFlight = false;
  private drainWaiters: Array<() => void> = [];
  private incoming: Promise<void> = Promise.resolve();
  private closeHandlers: Array<() => void> = [];
  private dataHandler: ((data: Buffer) => Promise<void> | void) | undefined;
  private pendingData: Buffer[] = [];
  private ending = false;
  closed = false;

  constructor(
    readonly localId: number,
    readonly remoteId: number,
    private readonly transport: StreamTransport,
  ) {}

  /** Sets the consumer of the peer's data; data that arrived earlier is delivered first. */
  onData(handler: (data: Buffer) => Promise<void> | void): void {
    this.dataHandler = handler;
    const early = this.pendingData;
    this.pendingData = [];
    for (const data of early) this.deliver(data);
  }

  /** Called once, when either side closes the stream or the connection is lost. */
  onClose(handler: () => void): void {
    if (this.closed) handler();
    else this.closeHandlers.push(handler);
  }

  /** Queues data; resolves when everything queued so far was acknowledged (or the stream closed). */
  write(data: Buffer): Promise<void> {
    if (this.closed || this.ending) return Promise.resolve();
    const max = this.transport.maxPayload;
    for (let offset = 0; offset < data.length; offset += max) this.queue.push(data.subarray(offset, offset + max));
    this.pump();
    return this.drained();
  }

  /** Sends CLSE once every queued WRTE was acknowledged. */
  async end(): Promise<void> {
    await this.drained();
    this.ending = true;
    this.close();
  }

  /** Sends CLSE now, dropping anything unsent. */
  close(): void {
    if (this.closed) return;
    this.transport.send({ command: A_CLSE, arg0: this.localId, arg1: this.remoteId, payload: Buffer.alloc(0) });
    this.closedLocally();
  }

  // ---- called by the connection ----

  handleOkay(): void {
    this.inFlight = false;
    this.pump();
  }

  handleWrite(data: Buffer): void {
    if (this.closed) return;
    if (!this.dataHandler) {
      this.pendingData.push(data);
      return;
    }
    this.deliver(data);
  }

  handlePeerClose(): void {
    this.closedLocally();
  }

  private deliver(data: Buffer): void {
    const handler = this.dataHandler!;
    this.incoming = this.incoming
      .then(() => handler(data))
      .catch(() => undefined)
      .then(() => {
        if (!this.closed) this.transport.send({ command: A_OKAY, arg0: this.localId, arg1: this.remoteId, payload: Buffer.alloc(0) });
      });
  }

  private drained(): Promise<void> {
    if (this.closed || (!this.inFlight && this.queue.length === 0)) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private pump(): void {
    if (this.closed || this.inFlight) return;
    const next = this.queue.shift();
    if (next === undefined) {
      this.wakeDrainWaiters();
      return;
    }
    this.inFlight = true;
    this.transport.send({ command: A_WRTE, arg0: this.localId, arg1: this.remoteId, payload: next });
  }

  private wakeDrainWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const wake of waiters) wake();
  }

  private closedLocally(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.transport.forget(this.localId);
    this.wakeDrainWaiters();
    const handlers = this.closeHandlers;
    this.closeHandlers = [];
    for (const handler of handlers) handler();
  }
}
