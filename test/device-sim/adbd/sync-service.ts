import { lstat, open, readdir } from 'node:fs/promises';
import { ByteReader } from './byte-reader.js';
import { resolveInRoot } from './root-path.js';
import { strerror } from './strerror.js';
import { handleSend, type SendContext } from './sync-send.js';
import { dent, MAX_PATH, MISSING, statReply, SYNC_DATA_MAX, syncFail, syncHeader, type StatFields } from './sync-packets.js';
import type { AdbStream } from './stream.js';

export interface SyncOptions {
  /** Host directory that is "/" on the device. */
  readonly root: string;
  readonly owner?: { uid: number; gid: number };
}

async function statOf(hostPath: string): Promise<StatFields> {
  try {
    const st = await lstat(hostPath);
    return { mode: st.mode, size: st.size, mtime: Math.floor(st.mtimeMs / 1000) };
  } catch {
    return MISSING;
  }
}

function safeResolve(root: string, path: string, followLast: boolean): string | undefined {
  try {
    return resolveInRoot(root, path, followLast);
  } catch {
    return undefined;
  }
}

async function handleList(context: SendContext, path: string): Promise<void> {
  const dir = safeResolve(context.root, path, true);
  const replies: Buffer[] = [];
  const names = dir === undefined ? undefined : await readdir(dir).catch(() => undefined);
  if (dir !== undefined && names !== undefined) {
    for (const name of ['.', '..', ...names]) {
      const st = await statOf(`${dir}/${name}`);
      if (st !== MISSING) replies.push(dent('DENT', st, name));
    }
  }
  replies.push(dent('DONE', MISSING, ''));
  await context.stream.write(Buffer.concat(replies));
}

async function handleRecv(context: SendContext, path: string): Promise<boolean> {
  const hostPath = safeResolve(context.root, path, true);
  let file;
  try {
    if (hostPath === undefined) throw Object.assign(new Error('loop'), { code: 'ELOOP' });
    file = await open(hostPath, 'r');
  } catch (error) {
    await context.stream.write(syncFail(`open failed: ${strerror(error)}`));
    return false;
  }
  try {
    const pending: Buffer[] = [];
    let pendingBytes = 0;
    for (;;) {
      const chunk = Buffer.alloc(SYNC_DATA_MAX - 8);
      let bytesRead: number;
      try {
        ({ bytesRead } = await file.read(chunk, 0, chunk.length, null));
      } catch (error) {
        await context.stream.write(Buffer.concat([...pending, syncFail(`read failed: ${strerror(error)}`)]));
        return false;
      }
      if (bytesRead === 0) break;
      pending.push(syncHeader('DATA', bytesRead), chunk.subarray(0, bytesRead));
      pendingBytes += bytesRead + 8;
      if (pendingBytes >= 4 * SYNC_DATA_MAX) {
        await context.stream.write(Buffer.concat(pending));
        pending.length = 0;
        pendingBytes = 0;
        if (context.stream.closed) return false;
      }
    }
    pending.push(syncHeader('DONE', 0));
    await context.stream.write(Buffer.concat(pending));
    return true;
  } finally {
    await file.close().catch(() => undefined);
  }
}

/** One request: 8-byte header (id, path length) and the path. Returns false to end the session. */
async function handleRequest(context: SendContext): Promise<boolean> {
  const header = await context.reader.read(8);
  const id = header.toString('latin1', 0, 4);
  const length = header.readUInt32LE(4);
  if (length > MAX_PATH) {
    await context.stream.write(syncFail('path too long'));
    return false;
  }
  const path = (await context.reader.read(length)).toString('utf8');
  switch (id) {
    case 'STAT': {
      const hostPath = safeResolve(context.root, path, false);
      await context.stream.write(statReply(hostPath === undefined ? MISSING : await statOf(hostPath)));
      return true;
    }
    case 'LIST':
      await handleList(context, path);
      return true;
    case 'SEND':
      return handleSend(context, path);
    case 'RECV':
      return handleRecv(context, path);
    case 'QUIT':
      return false;
    default:
      await context.stream.write(syncFail(`unknown command ${header.readUInt32LE(0).toString(16).padStart(8, '0')}`));
      return false;
  }
}

/** The sync: service, version 1 (STAT, LIST, SEND, RECV, QUIT), on files below `root`. */
export function syncService(options: SyncOptions): (stream: AdbStream) => void {
  return (stream) => {
    const reader = new ByteReader();
    stream.onData((data) => reader.push(data));
    stream.onClose(() => reader.end());
    const context: SendContext = { root: options.root, stream, reader, owner: options.owner };
    void (async () => {
      try {
        while (await handleRequest(context)) {
          // next request
        }
      } catch {
        // the peer went away mid-request
      }
      await stream.end();
    })();
  };
}
