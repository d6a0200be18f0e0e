import { chmod, lstat, mkdir, unlink } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import {
  MAX_MESSAGE_BYTES,
  encodeMessage,
  errorReply,
  okReply,
  parseRequest,
  type ControlRequest,
  type RequestId,
} from '../src/control-protocol.js';
import { LineSplitter, type LineEvent } from './line-splitter.js';

export type ReloadResult = { ok: true } | { ok: false; error: string };

/**
 * The agent's side of the control socket. A connection's requests are served one at a time, in
 * order; a handler may answer with a promise, and that connection waits for it.
 */
export interface ControlHandler {
  /** The STATUS payload (see StatusSchema). */
  status(): unknown;
  /** Validates and applies a new config; on failure the agent keeps its old one. */
  reload(config: unknown): ReloadResult | Promise<ReloadResult>;
  /** Stops the agent (which closes this server). Called after the ok reply is queued. */
  stop(): void | Promise<void>;
  /** Adds a stream listener (kill and pressure events); returns its removal. */
  subscribe(listener: (message: object) => void): () => void;
}

/** pino's `logger.warn(obj, msg)` shape, so a pino logger (or a child of one) fits. */
export interface ControlLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface ControlServer {
  readonly socketPath: string;
  /** Open connections. */
  readonly connections: number;
  /** Stops listening, ends every connection, removes the socket file. */
  close(): Promise<void>;
}

export interface ControlServerOptions {
  /** A connection whose unsent output passes this is dropped (a reader that stopped reading). */
  readonly maxPendingBytes?: number;
  /** Connections beyond this are refused. */
  readonly maxConnections?: number;
}

const DEFAULT_MAX_PENDING_BYTES = 1024 * 1024;
const DEFAULT_MAX_CONNECTIONS = 64;
/** How long close() lets a connection flush before cutting it. */
const CLOSE_GRACE_MS = 1000;
/** How long the check for a live agent on an existing socket waits. */
const PROBE_TIMEOUT_MS = 1000;

/** sun_path holds 108 bytes on Linux, the last one a NUL. */
const MAX_SOCKET_PATH_BYTES = 107;

const silentLog: ControlLog = { info: () => {}, warn: () => {} };

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** Whether something accepts connections on the socket at `path`. */
function probeSocket(path: string): Promise<'live' | 'stale'> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path });
    const timer = setTimeout(() => {
      // Accepted into the backlog but never answered would have connected; a hang here is odd.
      socket.destroy();
      resolve('live');
    }, PROBE_TIMEOUT_MS);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve('live');
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      const code = errorCode(error);
      if (code === 'ECONNREFUSED' || code === 'ENOENT') resolve('stale');
      else reject(new Error(`cannot check the existing socket at ${path}: ${errorMessage(error)}`));
    });
  });
}

/** Makes `socketPath` free to bind: removes a stale socket, refuses a live one or a non-socket. */
async function clearSocketPath(socketPath: string): Promise<void> {
  let stats;
  try {
    stats = await lstat(socketPath);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  if (!stats.isSocket()) throw new Error(`${socketPath} exists and is not a socket; refusing to replace it`);
  if ((await probeSocket(socketPath)) === 'live') throw new Error(`another agent is already listening at ${socketPath}`);
  try {
    await unlink(socketPath);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}

function listen(server: Server, socketPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      reject(errorCode(error) === 'EADDRINUSE' ? new Error(`another agent is already listening at ${socketPath}`) : error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ path: socketPath, exclusive: true });
  });
}

/**
 * Serves the control protocol on a Unix socket at `socketPath`, readable and writable by its owner
 * only (root, for the agent). Creates the socket's directory (0700) when missing. Replaces a stale
 * socket file, but refuses when another agent answers on it. Nothing a client sends stops or
 * crashes the agent, except the `stop` request.
 */
export async function startControlServer(
  socketPath: string,
  handler: ControlHandler,
  log: ControlLog = silentLog,
  options: ControlServerOptions = {},
): Promise<ControlServer> {
  const maxPendingBytes = options.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES;
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH_BYTES) {
    throw new Error(`control socket path too long (${Buffer.byteLength(socketPath)} bytes, Unix sockets allow ${MAX_SOCKET_PATH_BYTES}): ${socketPath}`);
  }
  await mkdir(dirname(socketPath), { recursive: true, mode: 0o700 });
  await clearSocketPath(socketPath);

  const connections = new Set<Connection>();
  const server = createServer({ allowHalfOpen: true, pauseOnConnect: false });
  server.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  server.on('connection', (socket) => {
    const connection = new Connection(socket, handler, log, maxPendingBytes, () => connections.delete(connection));
    connections.add(connection);
  });
  server.on('drop', () => log.warn({ socketPath }, 'control connection refused: too many connections'));

  await listen(server, socketPath);
  let ino: number;
  try {
    await chmod(socketPath, 0o600);
    ino = (await lstat(socketPath)).ino;
  } catch (error) {
    server.close();
    throw new Error(`cannot secure the control socket ${socketPath}: ${errorMessage(error)}`);
  }
  server.on('error', (error) => log.warn({ socketPath, error: errorMessage(error) }, 'control socket error'));
  log.info({ socketPath }, 'control socket listening');

  let closing: Promise<void> | undefined;
  return {
    socketPath,
    get connections() {
      return connections.size;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const connection of connections) connection.end(CLOSE_GRACE_MS);
      }).then(async () => {
        // libuv usually removes the file itself; remove it only if it is still the one we bound.
        try {
          if ((await lstat(socketPath)).ino === ino) await unlink(socketPath);
        } catch {
          // already gone
        }
      });
      return closing;
    },
  };
}

/** One client: its line buffer, its requests served in order, its subscription if it asked. */
class Connection {
  readonly #lines = new LineSplitter(MAX_MESSAGE_BYTES);
  /** Lines read but not served yet; the socket is paused while a request is in flight. */
  readonly #queue: (LineEvent | { readonly kind: 'eof' })[] = [];
  #busy = false;
  #unsubscribe: (() => void) | undefined;
  #subscribed = false;
  #closed = false;

  constructor(
    readonly socket: Socket,
    readonly handler: ControlHandler,
    readonly log: ControlLog,
    readonly maxPendingBytes: number,
    readonly onClosed: () => void,
  ) {
    socket.on('data', (chunk: Buffer) => this.#enqueue(this.#lines.push(chunk)));
    socket.on('end', () => this.#enqueue([...this.#lines.end(), { kind: 'eof' }]));
    socket.on('error', () => {
      // The peer went away mid-write, or similar; 'close' follows and cleans up.
    });
    socket.on('close', () => this.#cleanup());
  }

  /** Ends the connection after its pending output, cutting it after `graceMs`. */
  end(graceMs: number): void {
    this.#dropSubscription();
    this.#queue.length = 0;
    if (this.socket.destroyed) return;
    this.socket.end();
    setTimeout(() => this.socket.destroy(), graceMs).unref();
  }

  #cleanup(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue.length = 0;
    this.#dropSubscription();
    this.onClosed();
  }

  #dropSubscription(): void {
    const unsubscribe = this.#unsubscribe;
    this.#unsubscribe = undefined;
    if (!unsubscribe) return;
    try {
      unsubscribe();
    } catch (error) {
      this.log.warn({ error: errorMessage(error) }, 'control: unsubscribe failed');
    }
  }

  #enqueue(events: readonly (LineEvent | { readonly kind: 'eof' })[]): void {
    if (this.#closed) return;
    this.#queue.push(...events);
    void this.#drain();
  }

  async #drain(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      for (let event = this.#queue.shift(); event; event = this.#queue.shift()) {
        if (this.#closed || this.socket.destroyed) break;
        if (event.kind === 'eof') {
          // The client hung up (or half-closed: a Unix socket cannot tell us which). What it sent
          // before is answered; then the connection ends, a subscription with it.
          this.end(CLOSE_GRACE_MS);
          continue;
        }
        if (!this.socket.writable) break;
        if (event.kind === 'overflow') {
          this.#send(errorReply(undefined, `message longer than ${MAX_MESSAGE_BYTES} bytes; skipped up to the next newline`));
          continue;
        }
        const parsed = parseRequest(event.line);
        if (!parsed.ok) {
          this.#send(errorReply(parsed.id, parsed.error));
          continue;
        }
        const serving = this.#serve(parsed.request);
        if (serving) {
          this.socket.pause();
          await serving;
          if (!this.socket.destroyed) this.socket.resume();
        }
      }
    } catch (error) {
      // #serve turns handler failures into replies; anything else is our bug. Keep serving others.
      this.log.warn({ error: errorMessage(error) }, 'control: dropping a connection after an internal error');
      this.socket.destroy();
    } finally {
      this.#busy = false;
    }
  }

  /** Serves one request; a promise when the handler answered with one. */
  #serve(request: ControlRequest): Promise<void> | void {
    const { id } = request;
    switch (request.cmd) {
      case 'status': {
        let payload: unknown;
        try {
          payload = this.handler.status();
        } catch (error) {
          this.#send(errorReply(id, `status failed: ${errorMessage(error)}`));
          return;
        }
        if (isThenable(payload)) return Promise.resolve(payload).then((value) => this.#sendStatus(id, value), (error: unknown) => this.#send(errorReply(id, `status failed: ${errorMessage(error)}`)));
        this.#sendStatus(id, payload);
        return;
      }
      case 'reload': {
        let result: ReloadResult | Promise<ReloadResult>;
        try {
          result = this.handler.reload(request.config);
        } catch (error) {
          this.#send(errorReply(id, `reload failed: ${errorMessage(error)}`));
          return;
        }
        if (isThenable(result)) return Promise.resolve(result).then((value) => this.#sendReload(id, value), (error: unknown) => this.#send(errorReply(id, `reload failed: ${errorMessage(error)}`)));
        this.#sendReload(id, result);
        return;
      }
      case 'stop': {
        this.#send(okReply(id));
        this.log.info({}, 'control: stop requested');
        try {
          const stopping = this.handler.stop();
          if (isThenable(stopping)) Promise.resolve(stopping).catch((error: unknown) => this.log.warn({ error: errorMessage(error) }, 'control: stop failed'));
        } catch (error) {
          this.log.warn({ error: errorMessage(error) }, 'control: stop failed');
        }
        return;
      }
      case 'subscribe':
        this.#subscribe(id);
        return;
    }
  }

  #sendStatus(id: RequestId | undefined, payload: unknown): void {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      this.#send(errorReply(id, 'status failed: the agent produced no status object'));
      return;
    }
    this.#send(okReply(id, payload as Record<string, unknown>));
  }

  #sendReload(id: RequestId | undefined, result: unknown): void {
    if (typeof result === 'object' && result !== null && 'ok' in result) {
      if (result.ok === true) {
        this.#send(okReply(id));
        return;
      }
      if ('error' in result && typeof result.error === 'string') {
        this.#send(errorReply(id, result.error));
        return;
      }
    }
    this.#send(errorReply(id, 'reload failed: the agent gave no result'));
  }

  #subscribe(id: RequestId | undefined): void {
    if (this.#subscribed) {
      this.#send(okReply(id));
      return;
    }
    // Messages the handler emits while subscribing wait until the ok reply is out.
    let early: object[] | undefined = [];
    const listener = (message: object): void => {
      if (early) early.push(message);
      else this.#stream(message);
    };
    try {
      this.#unsubscribe = this.handler.subscribe(listener);
    } catch (error) {
      this.#send(errorReply(id, `subscribe failed: ${errorMessage(error)}`));
      return;
    }
    this.#subscribed = true;
    this.#send(okReply(id));
    const queued = early;
    early = undefined;
    for (const message of queued) this.#stream(message);
  }

  #stream(message: object): void {
    if (!this.#subscribed || this.#closed || this.socket.destroyed) return;
    this.#send(message);
  }

  /** Writes one message; a connection that stopped reading is dropped instead of buffered. */
  #send(message: object): void {
    if (this.socket.destroyed || !this.socket.writable) return;
    let line: string;
    try {
      line = encodeMessage(message);
    } catch (error) {
      this.log.warn({ error: errorMessage(error) }, 'control: message not serializable');
      return;
    }
    const pending = this.socket.writableLength;
    if (pending > 0 && pending + Buffer.byteLength(line) > this.maxPendingBytes) {
      this.log.warn({ pendingBytes: pending, subscribed: this.#subscribed }, 'control: dropping a client that stopped reading');
      this.#dropSubscription();
      this.socket.destroy();
      return;
    }
    this.socket.write(line);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && 'then' in value && typeof value.then === 'function';
}
