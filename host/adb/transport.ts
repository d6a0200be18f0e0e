import { statSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { CliError } from '../cli-error.js';
import type { KitDeviceClient, KitSync } from './adbkit.js';
import { adbFailure, errorCode, oneLineMessage } from './errors.js';
import type { AdbServer } from './server.js';

/** A remote path as the sync protocol takes it: absolute, no NUL or line break. */
export function checkRemotePath(path: string): string {
  if (!path.startsWith('/') || /[\0\n\r]/.test(path) || path.length > 1024) throw new CliError(`'${path}' is not a path on the device`);
  return path;
}

/** The sync session's stat: a regular file's size, or undefined when nothing is there. */
interface RemoteStat {
  readonly isFile: boolean;
  readonly size: number;
}

/**
 * One device behind the adb server, at the transport level: a raw shell stream (legacy
 * `shell:`, which is what adbkit speaks), and file push / pull over the sync service. Every
 * failure is a CliError naming the device, or "adb server unreachable".
 */
export class AdbTransport {
  private readonly client: KitDeviceClient;

  constructor(
    readonly server: AdbServer,
    readonly serial: string,
  ) {
    this.client = server.deviceClient(serial);
  }

  private failure(error: unknown, doing: string): CliError {
    return adbFailure(error, this.server.address, `${doing} on ${this.serial}`);
  }

  private async syncService(): Promise<KitSync> {
    try {
      return await this.client.syncService();
    } catch (error) {
      throw this.failure(error, 'adb sync');
    }
  }

  /** Opens `shell:<command>`: stdout and stderr in one byte stream, closed when the command ends. */
  async openShell(command: string): Promise<Duplex> {
    try {
      return await this.client.shell(command);
    } catch (error) {
      throw this.failure(error, 'adb shell');
    }
  }

  /** Pushes a local file (streamed: the sync protocol sends it in 64 KiB DATA chunks). */
  async push(localPath: string, remotePath: string, mode: number, onProgress?: (bytesSent: number) => void): Promise<void> {
    checkRemotePath(remotePath);
    try {
      if (!statSync(localPath).isFile()) throw new Error('not a file');
    } catch (error) {
      throw new CliError(`cannot push ${localPath}: ${oneLineMessage(error)}`);
    }
    const sync = await this.syncService();
    try {
      const transfer = sync.pushFile(localPath, remotePath, mode);
      await new Promise<void>((resolve, reject) => {
        transfer.on('progress', (stats: { bytesTransferred: number }) => onProgress?.(stats.bytesTransferred));
        transfer.on('end', () => resolve());
        transfer.on('error', (error: unknown) => reject(error));
      });
    } catch (error) {
      throw this.failure(error, `push ${remotePath}`);
    } finally {
      sync.end();
    }
  }

  /** Reads a whole file; a missing file is an error naming it. */
  async pull(remotePath: string): Promise<Buffer> {
    checkRemotePath(remotePath);
    const sync = await this.syncService();
    try {
      const stat = await this.statIn(sync, remotePath);
      if (!stat) throw new CliError(`${remotePath} does not exist on ${this.serial}`);
      if (!stat.isFile) throw new CliError(`${remotePath} on ${this.serial} is not a file`);
      const transfer = sync.pull(remotePath);
      const chunks: Buffer[] = [];
      await new Promise<void>((resolve, reject) => {
        transfer.on('data', (chunk: Buffer) => chunks.push(chunk));
        transfer.on('end', () => resolve());
        transfer.on('error', (error: unknown) => reject(error));
      });
      const data = Buffer.concat(chunks);
      // adbkit ends the transfer before it reads a FAIL's reason: a short read is a failed read.
      if (data.length !== stat.size) throw new CliError(`reading ${remotePath} on ${this.serial} failed after ${data.length} of ${stat.size} bytes`);
      return data;
    } catch (error) {
      throw this.failure(error, `pull ${remotePath}`);
    } finally {
      sync.end();
    }
  }

  private async statIn(sync: KitSync, path: string): Promise<RemoteStat | undefined> {
    try {
      const stat = await sync.stat(path);
      return { isFile: stat.isFile(), size: stat.size };
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw error;
    }
  }
}
