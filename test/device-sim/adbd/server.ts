import { createServer, type Server, type Socket } from 'node:net';
import { AdbConnection, type ServiceResolver } from './connection.js';
import { parseShellService, runShell, type SubprocessLauncher } from './shell-service.js';
import { syncService, type SyncOptions } from './sync-service.js';

export interface AdbdOptions {
  /** 0 picks a free port. The daemon only ever listens on 127.0.0.1. */
  readonly port: number;
  readonly banner: string;
  readonly launch: SubprocessLauncher;
  readonly sync: SyncOptions;
  readonly log?: (line: string) => void;
}

export interface Adbd {
  readonly port: number;
  close(): Promise<void>;
}

/** The services a phone's adbd answers: shell (legacy and v2), exec and sync. */
export function deviceServices(options: AdbdOptions): ServiceResolver {
  const sync = syncService(options.sync);
  return (name) => {
    if (name.startsWith('sync:')) return sync;
    const shell = parseShellService(name);
    if (shell) return (stream) => runShell(stream, shell, options.launch);
    return undefined;
  };
}

/** An adbd on 127.0.0.1:port, to be registered with `adb connect 127.0.0.1:port`. */
export async function startAdbd(options: AdbdOptions): Promise<Adbd> {
  const sockets = new Set<Socket>();
  const resolve = deviceServices(options);
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    new AdbConnection(socket, { banner: options.banner, resolve, ...(options.log ? { log: options.log } : {}) });
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: options.port, exclusive: true }, () => resolvePromise());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('adbd: no TCP address');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolvePromise) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolvePromise());
      }),
  };
}
