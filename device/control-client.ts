import { createConnection, type Socket } from 'node:net';
import {
  encodeMessage,
  isReply,
  parseServerMessage,
  type ControlReply,
  type ControlRequest,
  type StreamMessage,
} from '../src/control-protocol.js';
import { LineSplitter } from './line-splitter.js';

/** A failure to talk to the agent, worded for the user (one line). */
export class ControlClientError extends Error {
  override readonly name = 'ControlClientError';
  constructor(
    message: string,
    /** The errno name behind it, when there is one (ENOENT, ECONNREFUSED, EACCES, ...). */
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface ControlClientOptions {
  /** How long to wait for the connection and the reply. Default 5000 ms. */
  readonly timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 5000;
/** Replies carry the whole status (config, recent kills): allow far more than a request. */
const MAX_REPLY_BYTES = 16 * 1024 * 1024;

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** A socket error as the user should read it. */
export function describeConnectError(error: unknown, socketPath: string): ControlClientError {
  const code = errorCode(error);
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new ControlClientError(`no agent running (no socket at ${socketPath})`, code);
    case 'ECONNREFUSED':
      return new ControlClientError(`no agent answering at ${socketPath} (stale socket)`, code);
    case 'EACCES':
    case 'EPERM':
      return new ControlClientError('permission denied: run as root', code);
    default:
      return new ControlClientError(`cannot talk to the agent at ${socketPath}: ${error instanceof Error ? error.message : String(error)}`, code);
  }
}

/**
 * One connection's lines, as replies and stream messages. `onMessage` returns false to stop
 * reading. Errors and the end of the connection go to `onDone` once.
 */
function readMessages(
  socket: Socket,
  socketPath: string,
  onMessage: (message: ControlReply | StreamMessage) => boolean | void,
  onDone: (error: ControlClientError | undefined, ended: boolean) => void,
): void {
  const lines = new LineSplitter(MAX_REPLY_BYTES);
  let done = false;
  const finish = (error: ControlClientError | undefined, ended: boolean): void => {
    if (done) return;
    done = true;
    onDone(error, ended);
  };
  const handle = (events: ReturnType<LineSplitter['push']>): void => {
    for (const event of events) {
      if (done) return;
      if (event.kind === 'overflow') {
        finish(new ControlClientError(`the agent sent a line longer than ${MAX_REPLY_BYTES} bytes`), false);
        return;
      }
      const parsed = parseServerMessage(event.line);
      if (!parsed.ok) {
        finish(new ControlClientError(`the agent sent a malformed message: ${parsed.error}`), false);
        return;
      }
      if (onMessage(parsed.message) === false) {
        finish(undefined, false);
        return;
      }
    }
  };
  socket.on('data', (chunk: Buffer) => handle(lines.push(chunk)));
  socket.on('end', () => {
    handle(lines.end());
    finish(undefined, true);
  });
  socket.on('error', (error) => finish(describeConnectError(error, socketPath), false));
  socket.on('close', () => finish(undefined, true));
}

/** Sends one request and resolves with the agent's reply (which may be an error reply). */
export function sendRequest(socketPath: string, request: ControlRequest, options: ControlClientOptions = {}): Promise<ControlReply> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path: socketPath });
    let reply: ControlReply | undefined;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ControlClientError(`no reply from the agent at ${socketPath} within ${timeoutMs} ms`, 'ETIMEDOUT'));
    }, timeoutMs);
    readMessages(
      socket,
      socketPath,
      (message) => {
        if (!isReply(message)) return true; // a stream message: not ours to answer
        reply = message;
        return false;
      },
      (error) => {
        clearTimeout(timer);
        socket.destroy();
        if (error) reject(error);
        else if (reply) resolve(reply);
        else reject(new ControlClientError(`the agent at ${socketPath} closed the connection without replying`));
      },
    );
    socket.once('connect', () => socket.write(encodeMessage(request)));
  });
}

/**
 * Subscribes to the agent's event stream and calls `onMessage` for each message, in order.
 * Resolves when `signal` aborts; rejects when the agent refuses, goes away, or sends garbage, or
 * when `onMessage` throws.
 */
export function subscribe(
  socketPath: string,
  onMessage: (message: StreamMessage) => void,
  signal?: AbortSignal,
  options: ControlClientOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const socket = createConnection({ path: socketPath });
    let subscribed = false;
    let settled = false;
    const settle = (error: Error | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    const onAbort = (): void => settle(undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(
      () => settle(new ControlClientError(`no reply from the agent at ${socketPath} within ${timeoutMs} ms`, 'ETIMEDOUT')),
      timeoutMs,
    );
    readMessages(
      socket,
      socketPath,
      (message) => {
        if (isReply(message)) {
          if (subscribed) return true;
          if (!message.ok) {
            settle(new ControlClientError(message.error));
            return false;
          }
          subscribed = true;
          clearTimeout(timer);
          return true;
        }
        if (!subscribed) return true;
        try {
          onMessage(message);
        } catch (error) {
          settle(error instanceof Error ? error : new Error(String(error)));
          return false;
        }
        return true;
      },
      (error, ended) => {
        if (error) settle(error);
        else if (ended) settle(new ControlClientError(subscribed ? 'the agent closed the connection' : `the agent at ${socketPath} closed the connection without replying`));
        else settle(undefined);
      },
    );
    socket.once('connect', () => socket.write(encodeMessage({ cmd: 'subscribe' })));
  });
}
